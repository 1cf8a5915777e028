export { createTestDatabase, type TestDatabase } from "./postgres.js";
export { createRedisNamespace, type TestRedisNamespace } from "./redis.js";
export { RedisProcess } from "./redis-process.js";
export { RespClient, type RespValue } from "./resp.js";
export { databaseUrl, redisUrl } from "./services.js";
