export { CachingRoutingStore, type CachingRoutingStoreOptions } from "./caching-routing-store.js";
export { CacheClosedError, InvalidCacheOptionsError, LoadTimeoutError } from "./errors.js";
export type {
  GetArguments,
  GetOptions,
  GetResult,
  GetSettled,
  GetStatus,
  L1LoadContext,
  LoadFunction,
} from "./get-options.js";
export { L1Cache } from "./l1-cache.js";
export type { L1CacheOptions } from "./options.js";
export type { L1CacheStats } from "./stats.js";
