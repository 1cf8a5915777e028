export { type RedisAcceleratedIndexOptions, RedisIndexOptionsError } from "./options.js";
export { RedisAcceleratedIndex } from "./redis-accelerated-index.js";
export { RedisTimeoutError } from "./redis-calls.js";
export type { BreakerState, RedisIndexStats } from "./stats.js";
