import type { Knex } from "knex";
import type { ReconnectOptions } from "./change-listener.js";
import { PostgresStoreOptionsError } from "./errors.js";
import {
  knexDialect,
  type ListenConnectionFactory,
  listenConnectionFromKnex,
} from "./listen-connection.js";
import { consoleLogger, type RoutesLogger } from "./logger.js";
import { type RouteTableNames, type RouteTableOptions, routeTableNames } from "./names.js";

export interface PostgresRoutingStoreOptions extends RouteTableOptions {
  /** Your knex instance (client `pg`). The store runs its queries on it and never destroys it. */
  knex: Knex;
  /** Receives warnings: skipped malformed rows, clamped priorities, change-feed reconnects. Default: `console.warn`. */
  logger?: RoutesLogger;
  /** Opens the dedicated LISTEN connection of each `watch`. Default: a new pg connection from knex's settings. */
  listenConnection?: ListenConnectionFactory;
  /** Backoff of the change feed after its connection drops. Default `{ initialDelayMs: 100, maxDelayMs: 5000 }`. */
  reconnect?: Partial<ReconnectOptions>;
  /** How often (ms) the change feed probes its connection to notice silent drops; 0 disables. Default 30000. */
  healthCheckIntervalMs?: number;
}

/** The options after defaults and validation. */
export interface ResolvedOptions {
  readonly knex: Knex;
  readonly names: RouteTableNames;
  readonly logger: RoutesLogger;
  readonly listenConnection: ListenConnectionFactory;
  readonly reconnect: ReconnectOptions;
  readonly healthCheckIntervalMs: number;
}

function nonNegative(
  value: number | undefined,
  fallback: number,
  what: string,
  positive = false,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" ||
    !Number.isFinite(value) ||
    value < 0 ||
    (positive && value === 0)
  ) {
    throw new PostgresStoreOptionsError(
      `${what} must be a ${positive ? "positive" : "non-negative"} number of milliseconds, got ${String(value)}`,
    );
  }
  return value;
}

/** The caller's knex instance, checked to be one for PostgreSQL; `owner` names the class for the message. */
export function checkKnex(knex: unknown, owner: string): Knex {
  if (typeof knex !== "function" || typeof (knex as Knex).raw !== "function") {
    throw new PostgresStoreOptionsError(
      `${owner} needs your knex instance: new ${owner}({ knex })`,
    );
  }
  const dialect = knexDialect(knex as Knex);
  if (dialect !== "postgresql") {
    throw new PostgresStoreOptionsError(
      `${owner} needs a knex instance for PostgreSQL (client: "pg"), got dialect ${JSON.stringify(dialect)}`,
    );
  }
  return knex as Knex;
}

/** The logger, checked to have `warn`. */
export function checkLogger(logger: RoutesLogger | undefined): RoutesLogger {
  const resolved = logger ?? consoleLogger;
  if (typeof resolved?.warn !== "function") {
    throw new PostgresStoreOptionsError("logger must have a warn(message, context) method");
  }
  return resolved;
}

export function resolveOptions(options: PostgresRoutingStoreOptions): ResolvedOptions {
  const knex = checkKnex(options?.knex, "PostgresRoutingStore");
  const initialDelayMs = nonNegative(
    options.reconnect?.initialDelayMs,
    100,
    "reconnect.initialDelayMs",
    true,
  );
  const maxDelayMs = nonNegative(options.reconnect?.maxDelayMs, 5000, "reconnect.maxDelayMs", true);
  if (maxDelayMs < initialDelayMs) {
    throw new PostgresStoreOptionsError(
      `reconnect.maxDelayMs (${maxDelayMs}) must be >= reconnect.initialDelayMs (${initialDelayMs})`,
    );
  }
  const logger = checkLogger(options.logger);
  return {
    knex,
    names: routeTableNames(options),
    logger,
    listenConnection: options.listenConnection ?? listenConnectionFromKnex(knex),
    reconnect: { initialDelayMs, maxDelayMs },
    healthCheckIntervalMs: nonNegative(
      options.healthCheckIntervalMs,
      30_000,
      "healthCheckIntervalMs",
    ),
  };
}
