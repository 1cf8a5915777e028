export { CachingRoutingStore, type CachingRoutingStoreOptions } from "./caching-routing-store.js";
export { CacheClosedError, InvalidCacheOptionsError, LoadTimeoutError } from "./errors.js";
export { type GetOptions, L1Cache, type LoadFunction } from "./l1-cache.js";
export type { L1CacheOptions } from "./options.js";
export type { L1CacheStats } from "./stats.js";
