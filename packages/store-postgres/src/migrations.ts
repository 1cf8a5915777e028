import type { Knex } from "knex";
import {
  type CacheIndexTableNames,
  cacheIndexTableNames,
  quoteIdentifier,
  type RouteTableNames,
  type RouteTableOptions,
  routeTableNames,
} from "./names.js";

/** The names of both tables, for one set of options. */
interface StoreNames extends RouteTableNames {
  readonly cacheIndex: CacheIndexTableNames;
}

interface StoreMigration {
  readonly name: string;
  up(knex: Knex, names: StoreNames): Promise<void>;
  down(knex: Knex, names: StoreNames): Promise<void>;
}

/*
 * Each step is idempotent (IF NOT EXISTS / OR REPLACE), so the migrations
 * also adopt a `routes` table that the reference schema created: step 1 keeps
 * it, step 2 adds what we need on top. Step 4 likewise adopts an existing
 * `prompt_cache_entries` table; step 5 gives `id` a default unless it has one.
 */
const MIGRATIONS: readonly StoreMigration[] = [
  {
    name: "switchyard_routes_0001_create_table",
    async up(knex, n) {
      await knex.raw(
        `CREATE TABLE IF NOT EXISTS ?? (
          id uuid PRIMARY KEY,
          org_id uuid NOT NULL,
          name text NOT NULL,
          priority integer NOT NULL,
          conditions jsonb NOT NULL,
          target jsonb NOT NULL,
          enabled boolean NOT NULL DEFAULT true,
          created_at timestamptz NOT NULL DEFAULT now()
        )`,
        [n.qualifiedTable],
      );
    },
    async down(knex, n) {
      await knex.raw("DROP TABLE IF EXISTS ??", [n.qualifiedTable]);
    },
  },
  {
    name: "switchyard_routes_0002_updated_at_and_order_index",
    async up(knex, n) {
      await knex.raw(
        "ALTER TABLE ?? ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now()",
        [n.qualifiedTable],
      );
      const index = n.orderIndex.split(".").at(-1) ?? n.orderIndex;
      await knex.raw(
        "CREATE INDEX IF NOT EXISTS ?? ON ?? (org_id, priority DESC, created_at, id)",
        [index, n.qualifiedTable],
      );
    },
    async down(knex, n) {
      await knex.raw("DROP INDEX IF EXISTS ??", [n.orderIndex]);
      await knex.raw("ALTER TABLE ?? DROP COLUMN IF EXISTS updated_at", [n.qualifiedTable]);
    },
  },
  {
    name: "switchyard_routes_0003_notify_changes",
    async up(knex, n) {
      // The channel comes in as a trigger argument; it was validated as [A-Za-z0-9_]+.
      await knex.raw(
        `CREATE OR REPLACE FUNCTION ??() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            PERFORM pg_notify(TG_ARGV[0], OLD.org_id::text);
            RETURN OLD;
          END IF;
          PERFORM pg_notify(TG_ARGV[0], NEW.org_id::text);
          IF TG_OP = 'UPDATE' AND OLD.org_id IS DISTINCT FROM NEW.org_id THEN
            PERFORM pg_notify(TG_ARGV[0], OLD.org_id::text);
          END IF;
          RETURN NEW;
        END
        $body$`,
        [n.notifyFunction],
      );
      await knex.raw("DROP TRIGGER IF EXISTS ?? ON ??", [n.trigger, n.qualifiedTable]);
      await knex.raw(
        `CREATE TRIGGER ?? AFTER INSERT OR UPDATE OR DELETE ON ?? FOR EACH ROW EXECUTE FUNCTION ??('${n.channel}')`,
        [n.trigger, n.qualifiedTable, n.notifyFunction],
      );
    },
    async down(knex, n) {
      await knex.raw("DROP TRIGGER IF EXISTS ?? ON ??", [n.trigger, n.qualifiedTable]);
      await knex.raw("DROP FUNCTION IF EXISTS ??()", [n.notifyFunction]);
    },
  },
  {
    name: "switchyard_0004_prompt_cache_entries",
    async up(knex, { cacheIndex: c }) {
      await knex.raw(
        `CREATE TABLE IF NOT EXISTS ?? (
          id bigserial PRIMARY KEY,
          principal_id uuid NOT NULL,
          virtual_model text NOT NULL,
          tokenizer_version text NOT NULL,
          prefix_hash bytea NOT NULL,
          cumulative_token_count integer NOT NULL,
          ttl_tier text NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          expires_at timestamptz NOT NULL,
          CONSTRAINT ?? CHECK (octet_length(prefix_hash) = 32),
          CONSTRAINT ?? CHECK (ttl_tier IN ('5m', '1h', '24h')),
          CONSTRAINT ?? UNIQUE (principal_id, virtual_model, tokenizer_version, prefix_hash)
        )`,
        [c.qualifiedTable, c.hashLengthCheck, c.ttlTierCheck, c.scopeHashKey],
      );
      const index = c.expiresIndex.split(".").at(-1) ?? c.expiresIndex;
      await knex.raw("CREATE INDEX IF NOT EXISTS ?? ON ?? (expires_at)", [index, c.qualifiedTable]);
    },
    async down(knex, { cacheIndex: c }) {
      await knex.raw("DROP TABLE IF EXISTS ??", [c.qualifiedTable]);
    },
  },
  {
    name: "switchyard_routes_0005_id_default",
    // Writers that insert without an id (the reference's own insert) rely on a
    // column default; the store itself keeps assigning UUID v7 ids.
    async up(knex, n) {
      const column = await idColumn(knex, n);
      if (column.hasDefault || !column.uuidFunction) return; // an adopted table keeps its own default
      await knex.raw("ALTER TABLE ?? ALTER COLUMN id SET DEFAULT gen_random_uuid()", [
        n.qualifiedTable,
      ]);
    },
    async down(knex, n) {
      if ((await idColumn(knex, n)).defaultExpression !== "gen_random_uuid()") return;
      await knex.raw("ALTER TABLE ?? ALTER COLUMN id DROP DEFAULT", [n.qualifiedTable]);
    },
  },
];

/**
 * The `id` column's default, and whether `gen_random_uuid()` exists (built in
 * since PostgreSQL 13; from `pgcrypto` before).
 */
async function idColumn(knex: Knex, n: StoreNames) {
  const table = n.schema
    ? `${quoteIdentifier(n.schema)}.${quoteIdentifier(n.table)}`
    : quoteIdentifier(n.table);
  const result = await knex.raw(
    `SELECT a.atthasdef AS "hasDefault", pg_get_expr(d.adbin, d.adrelid) AS "defaultExpression",
       to_regprocedure('gen_random_uuid()') IS NOT NULL AS "uuidFunction"
     FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = ?::regclass AND a.attname = 'id'`,
    [table],
  );
  const row = result.rows[0] as
    | { hasDefault: boolean; defaultExpression: string | null; uuidFunction: boolean }
    | undefined;
  return {
    hasDefault: row?.hasDefault === true,
    defaultExpression: row?.defaultExpression ?? null,
    uuidFunction: row?.uuidFunction === true,
  };
}

function storeNames(options: RouteTableOptions): StoreNames {
  return { ...routeTableNames(options), cacheIndex: cacheIndexTableNames(options) };
}

/**
 * The package's migrations as a knex migration source, for callers who run
 * migrations themselves: `knex.migrate.latest({ migrationSource:
 * routesMigrationSource(options), tableName: "switchyard_routes_migrations" })`.
 * They create both tables, `routes` and `prompt_cache_entries`. Pass the same
 * options as to the store and the index.
 */
export function routesMigrationSource(
  options: RouteTableOptions = {},
): Knex.MigrationSource<string> {
  const names = storeNames(options);
  return {
    async getMigrations() {
      return MIGRATIONS.map((m) => m.name);
    },
    getMigrationName(migration) {
      return migration;
    },
    async getMigration(migration) {
      const step = MIGRATIONS.find((m) => m.name === migration);
      if (!step) throw new Error(`unknown switchyard routes migration "${migration}"`);
      return {
        up: (knex: Knex) => step.up(knex, names),
        down: (knex: Knex) => step.down(knex, names),
      };
    },
  };
}

function migratorConfig(options: RouteTableOptions): Knex.MigratorConfig {
  const names = routeTableNames(options);
  const config: Knex.MigratorConfig = {
    migrationSource: routesMigrationSource(options),
    tableName: names.migrationsTable,
  };
  if (names.schema) config.schemaName = names.schema;
  return config;
}

/** What a migration run did. */
export interface MigrationResult {
  /** The knex batch number (unchanged when nothing was pending). */
  readonly batch: number;
  /** Names of the migrations applied (or rolled back) by this call; `[]` when none. */
  readonly migrations: string[];
}

/**
 * Brings the routes table and the prompt-prefix index table
 * `prompt_cache_entries` (in `options.schema`, named with
 * `options.tablePrefix`) up to date, in one transaction. Creates the schema when missing. Safe to
 * call on every start, also from many processes at once: runs are serialized
 * by an advisory lock, and applied migrations are recorded in
 * `switchyard_<prefix>routes_migrations` and never run twice.
 */
export async function migrate(
  knex: Knex,
  options: RouteTableOptions = {},
): Promise<MigrationResult> {
  const names = routeTableNames(options);
  return knex.transaction(async (trx) => {
    await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [lockKey(names)]);
    if (names.schema) await trx.raw("CREATE SCHEMA IF NOT EXISTS ??", [names.schema]);
    const [batch, migrations] = (await trx.migrate.latest(migratorConfig(options))) as [
      number,
      string[],
    ];
    return { batch, migrations };
  });
}

function lockKey(names: RouteTableNames): string {
  return `switchyard:migrate:${names.schema ?? ""}.${names.migrationsTable}`;
}

/** Rolls every migration back (drops both tables, their indexes and the trigger). For tests and uninstall. */
export async function rollbackAll(
  knex: Knex,
  options: RouteTableOptions = {},
): Promise<MigrationResult> {
  const names = routeTableNames(options);
  return knex.transaction(async (trx) => {
    await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?))", [lockKey(names)]);
    const [batch, migrations] = (await trx.migrate.rollback(migratorConfig(options), true)) as [
      number,
      string[],
    ];
    return { batch, migrations };
  });
}
