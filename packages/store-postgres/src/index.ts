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
export { type RouteTableNames, type RouteTableOptions, routeTableNames } from "./names.js";
export type { PostgresRoutingStoreOptions } from "./options.js";
export { createPostgresRoutingStore, PostgresRoutingStore } from "./postgres-routing-store.js";
export { PRIORITY_COLUMN_MAX } from "./rows.js";
