export type {
  CacheIndexContractContext,
  CacheIndexContractOptions,
  CacheIndexFactory,
  CacheIndexUnderTest,
} from "./cache-index/context.js";
export { cacheIndexContract } from "./cache-index/contract.js";
export {
  type ComparableMatch,
  cacheEntry,
  comparable,
  hashHex,
  minutesFromNow,
  randomPrefixHash,
  randomScope,
} from "./cache-index/fixtures.js";
export type {
  ContractContext,
  RoutingStoreContractOptions,
  RoutingStoreFactory,
} from "./routing-store/context.js";
export { routingStoreContract } from "./routing-store/contract.js";
export { fullRoute, newRoute, randomOrgId, UUID_V7 } from "./routing-store/fixtures.js";
export { ChangeRecorder } from "./routing-store/recorder.js";
