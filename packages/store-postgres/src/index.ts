export type { ReconnectOptions } from "./change-listener.js";
export { PostgresStoreOptionsError } from "./errors.js";
export type {
  ListenConnection,
  ListenConnectionFactory,
  PgNotification,
} from "./listen-connection.js";
export { listenConnectionFromKnex } from "./listen-connection.js";
export type { RoutesLogger } from "./logger.js";
export {
  type MigrationResult,
  migrate,
  rollbackAll,
  routesMigrationSource,
} from "./migrations.js";
export {
  type CacheIndexTableNames,
  type CacheIndexTableOptions,
  cacheIndexTableNames,
  type RouteTableNames,
  type RouteTableOptions,
  routeTableNames,
} from "./names.js";
export type { PostgresRoutingStoreOptions } from "./options.js";
export {
  createPostgresCacheIndex,
  DEFAULT_SWEEP_BATCH_SIZE,
  PostgresCacheIndex,
  type PostgresCacheIndexOptions,
  PREFIX_HASH_BYTES,
  type SweepOptions,
  TOKEN_COUNT_COLUMN_MAX,
  tokenCountForColumn,
} from "./postgres-cache-index.js";
export { createPostgresRoutingStore, PostgresRoutingStore } from "./postgres-routing-store.js";
export { PRIORITY_COLUMN_MAX } from "./rows.js";
