export type { BreakerState } from "./breaker.js";
export { type RedisAcceleratedIndexOptions, RedisIndexOptionsError } from "./options.js";
export { RedisAcceleratedIndex } from "./redis-accelerated-index.js";
export { RedisTimeoutError } from "./redis-calls.js";
export type { RedisIndexStats } from "./stats.js";
