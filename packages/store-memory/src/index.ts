export { MemoryStoreOptionsError } from "./errors.js";
export type { MemoryStoreLogger } from "./logger.js";
export {
  clampTokenCount,
  createMemoryCacheIndex,
  DEFAULT_MAX_ENTRIES,
  MemoryCacheIndex,
  type MemoryCacheIndexOptions,
  type MemoryCacheIndexStats,
  PREFIX_HASH_BYTES,
  TOKEN_COUNT_MAX,
} from "./memory-cache-index.js";
export {
  createMemoryRoutingStore,
  MemoryRoutingStore,
  type MemoryRoutingStoreOptions,
} from "./memory-routing-store.js";
