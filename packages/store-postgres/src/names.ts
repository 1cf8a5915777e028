import { PostgresStoreOptionsError } from "./errors.js";

/** Where the routes table lives. The same options go to the store and to its migrations. */
export interface RouteTableOptions {
  /** Schema of the table, its trigger function and the migrations table. Default: none (the connection's search_path). */
  schema?: string;
  /** Prepended to every name this package creates, e.g. `"sy_"` gives table `sy_routes`. Default `""`. */
  tablePrefix?: string;
}

/** Every database name the package uses, derived once from {@link RouteTableOptions}. */
export interface RouteTableNames {
  readonly schema: string | undefined;
  /** The table name alone, e.g. `routes`. */
  readonly table: string;
  /** `schema.table` (or `table`), as knex takes it. */
  readonly qualifiedTable: string;
  /** The NOTIFY channel the trigger publishes on and `watch` listens to. */
  readonly channel: string;
  /** The trigger function, schema-qualified when a schema is set. */
  readonly notifyFunction: string;
  readonly trigger: string;
  /** The `(org_id, priority DESC, created_at, id)` index, schema-qualified when a schema is set. */
  readonly orderIndex: string;
  /** knex's bookkeeping table for these migrations (in `schema`). */
  readonly migrationsTable: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PREFIX = /^[A-Za-z_][A-Za-z0-9_]*$|^$/;
const MAX_IDENTIFIER = 63; // NAMEDATALEN - 1

function check(value: string, what: string): string {
  if (value.length > MAX_IDENTIFIER) {
    throw new PostgresStoreOptionsError(
      `${what} "${value}" is ${value.length} characters; PostgreSQL names are at most ${MAX_IDENTIFIER}. Use a shorter schema or tablePrefix.`,
    );
  }
  return value;
}

function qualify(schema: string | undefined, name: string): string {
  return schema ? `${schema}.${name}` : name;
}

/** The validated `schema` and `tablePrefix`. */
function naming(options: RouteTableOptions): { schema: string | undefined; tablePrefix: string } {
  const { schema, tablePrefix = "" } = options;
  if (schema !== undefined && (typeof schema !== "string" || !IDENTIFIER.test(schema))) {
    throw new PostgresStoreOptionsError(
      `schema must be a plain identifier (letters, digits, underscores; not starting with a digit), got ${JSON.stringify(schema)}`,
    );
  }
  if (typeof tablePrefix !== "string" || !PREFIX.test(tablePrefix)) {
    throw new PostgresStoreOptionsError(
      `tablePrefix must be letters, digits and underscores, not starting with a digit (e.g. "sy_"), got ${JSON.stringify(tablePrefix)}`,
    );
  }
  return { schema, tablePrefix };
}

export function routeTableNames(options: RouteTableOptions = {}): RouteTableNames {
  const { schema, tablePrefix } = naming(options);
  const table = `${tablePrefix}routes`;
  const channel = check(
    `switchyard_${schema ? `${schema}_` : ""}${table}_changed`,
    "NOTIFY channel",
  );
  return {
    schema,
    table,
    qualifiedTable: qualify(schema, table),
    channel,
    notifyFunction: qualify(schema, check(`${table}_notify_change`, "trigger function name")),
    trigger: check(`${table}_notify_change`, "trigger name"),
    orderIndex: qualify(schema, check(`${table}_org_order_idx`, "index name")),
    migrationsTable: check(`switchyard_${table}_migrations`, "migrations table name"),
  };
}

/** Double-quotes an identifier that {@link routeTableNames} already validated. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Where the prompt-prefix index table lives: the same `schema` and `tablePrefix` as the routes table. */
export type CacheIndexTableOptions = RouteTableOptions;

/** Every database name of the `prompt_cache_entries` table, derived once from {@link CacheIndexTableOptions}. */
export interface CacheIndexTableNames {
  readonly schema: string | undefined;
  /** The table name alone, e.g. `prompt_cache_entries`. */
  readonly table: string;
  /** `schema.table` (or `table`), as knex takes it. */
  readonly qualifiedTable: string;
  /** The unique constraint on `(principal_id, virtual_model, tokenizer_version, prefix_hash)`: the upsert key and the lookup btree. */
  readonly scopeHashKey: string;
  /** The check that `prefix_hash` is 32 bytes. */
  readonly hashLengthCheck: string;
  /** The check that `ttl_tier` is `5m`, `1h` or `24h`. */
  readonly ttlTierCheck: string;
  /** The index on `expires_at` for `sweep`, schema-qualified when a schema is set. */
  readonly expiresIndex: string;
}

export function cacheIndexTableNames(options: CacheIndexTableOptions = {}): CacheIndexTableNames {
  const { schema, tablePrefix } = naming(options);
  const table = check(`${tablePrefix}prompt_cache_entries`, "table name");
  return {
    schema,
    table,
    qualifiedTable: qualify(schema, table),
    scopeHashKey: check(`${table}_scope_hash_key`, "constraint name"),
    hashLengthCheck: check(`${table}_prefix_hash_check`, "constraint name"),
    ttlTierCheck: check(`${table}_ttl_tier_check`, "constraint name"),
    expiresIndex: qualify(schema, check(`${table}_expires_at_idx`, "index name")),
  };
}
