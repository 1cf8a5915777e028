export type {
  ContractContext,
  RoutingStoreContractOptions,
  RoutingStoreFactory,
} from "./routing-store/context.js";
export { routingStoreContract } from "./routing-store/contract.js";
export { fullRoute, newRoute, randomOrgId, UUID_V7 } from "./routing-store/fixtures.js";
export { ChangeRecorder } from "./routing-store/recorder.js";
