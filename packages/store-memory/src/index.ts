export type { MemoryStoreLogger } from "./logger.js";
export {
  createMemoryRoutingStore,
  MemoryRoutingStore,
  type MemoryRoutingStoreOptions,
} from "./memory-routing-store.js";
