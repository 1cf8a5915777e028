import { randomUUID } from "node:crypto";
import { newRoute } from "@switchyard/conformance";
import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import type { Knex } from "knex";
import { afterEach, describe, expect, it } from "vitest";
import {
  migrate,
  PostgresCacheIndex,
  PostgresRoutingStore,
  rollbackAll,
  routesMigrationSource,
} from "../src/index.js";
import { connect } from "./helpers.js";

const ALL = [
  "switchyard_routes_0001_create_table",
  "switchyard_routes_0002_updated_at_and_order_index",
  "switchyard_routes_0003_notify_changes",
  "switchyard_0004_prompt_cache_entries",
  "switchyard_routes_0005_id_default",
];

// A fresh database per test: these tests are about what a database starts from.
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function freshDatabase(quiet = false): Promise<Knex> {
  const db: TestDatabase = await createTestDatabase({ prefix: "sy_migrations" });
  const knex = connect(db.url, 4, quiet);
  cleanups.push(
    () => db.drop(),
    () => knex.destroy(),
  );
  return knex;
}

/** Columns, indexes and triggers of a table: what a migration run leaves behind. */
async function shape(knex: Knex, table = "routes") {
  const columns = await knex.raw(
    "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
    [table],
  );
  const indexes = await knex.raw(
    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ? ORDER BY indexname",
    [table],
  );
  const triggers = await knex.raw(
    "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname = ? AND NOT tgisinternal",
    [table],
  );
  return { columns: columns.rows, indexes: indexes.rows, triggers: triggers.rows };
}

describe("migrations", () => {
  it("run in a fresh database from zero and create the reference routes table", async () => {
    const knex = await freshDatabase();
    const result = await migrate(knex);
    expect(result).toEqual({ batch: 1, migrations: ALL });
    const { columns, indexes, triggers } = await shape(knex);
    expect(
      columns.map((c: { column_name: string; data_type: string; is_nullable: string }) => [
        c.column_name,
        c.data_type,
        c.is_nullable,
      ]),
    ).toEqual([
      ["id", "uuid", "NO"],
      ["org_id", "uuid", "NO"],
      ["name", "text", "NO"],
      ["priority", "integer", "NO"],
      ["conditions", "jsonb", "NO"],
      ["target", "jsonb", "NO"],
      ["enabled", "boolean", "NO"],
      ["created_at", "timestamp with time zone", "NO"],
      ["updated_at", "timestamp with time zone", "NO"],
    ]);
    expect(indexes.map((i: { indexname: string }) => i.indexname)).toEqual([
      "routes_org_order_idx",
      "routes_pkey",
    ]);
    expect(indexes[0].indexdef).toContain("(org_id, priority DESC, created_at, id)");
    expect(triggers).toEqual([{ tgname: "routes_notify_change" }]);
    expect(columns[0].column_default).toBe("gen_random_uuid()");
  });

  it("create the reference prompt_cache_entries table", async () => {
    const knex = await freshDatabase();
    await migrate(knex);
    const { columns, indexes, triggers } = await shape(knex, "prompt_cache_entries");
    expect(
      columns.map(
        (c: {
          column_name: string;
          data_type: string;
          is_nullable: string;
          column_default: string | null;
        }) => [c.column_name, c.data_type, c.is_nullable, c.column_default],
      ),
    ).toEqual([
      ["id", "bigint", "NO", "nextval('prompt_cache_entries_id_seq'::regclass)"],
      ["principal_id", "uuid", "NO", null],
      ["virtual_model", "text", "NO", null],
      ["tokenizer_version", "text", "NO", null],
      ["prefix_hash", "bytea", "NO", null],
      ["cumulative_token_count", "integer", "NO", null],
      ["ttl_tier", "text", "NO", null],
      ["created_at", "timestamp with time zone", "NO", "now()"],
      ["expires_at", "timestamp with time zone", "NO", null],
    ]);
    expect(indexes).toEqual([
      {
        indexname: "prompt_cache_entries_expires_at_idx",
        indexdef: expect.stringContaining("USING btree (expires_at)"),
      },
      {
        indexname: "prompt_cache_entries_pkey",
        indexdef: expect.stringContaining(
          "UNIQUE INDEX prompt_cache_entries_pkey ON public.prompt_cache_entries USING btree (id)",
        ),
      },
      {
        indexname: "prompt_cache_entries_scope_hash_key",
        indexdef: expect.stringContaining(
          "UNIQUE INDEX prompt_cache_entries_scope_hash_key ON public.prompt_cache_entries USING btree (principal_id, virtual_model, tokenizer_version, prefix_hash)",
        ),
      },
    ]);
    expect(triggers).toEqual([]);
    const checks = await knex.raw(
      "SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'prompt_cache_entries'::regclass AND contype = 'c' ORDER BY conname",
    );
    expect(checks.rows).toEqual([
      {
        conname: "prompt_cache_entries_prefix_hash_check",
        def: "CHECK ((octet_length(prefix_hash) = 32))",
      },
      {
        conname: "prompt_cache_entries_ttl_tier_check",
        def: "CHECK ((ttl_tier = ANY (ARRAY['5m'::text, '1h'::text, '24h'::text])))",
      },
    ]);
  });

  it("run a second time are a no-op", async () => {
    const knex = await freshDatabase();
    await migrate(knex);
    const store = new PostgresRoutingStore({ knex });
    const org = randomUUID();
    const route = await store.createRoute(org, newRoute());
    const before = await shape(knex);
    expect(await migrate(knex)).toEqual({ batch: 1, migrations: [] });
    expect(await shape(knex)).toEqual(before);
    expect(await store.listForOrg(org)).toEqual([route]);
    const recorded = await knex("switchyard_routes_migrations").count();
    expect(recorded).toEqual([{ count: String(ALL.length) }]);
  });

  it("several processes migrating a fresh database at once all succeed, each step applied once", async () => {
    const knex = await freshDatabase();
    const others = [1, 2, 3].map(() => connect(knex.client.config.connection as string));
    cleanups.push(async () => {
      for (const other of others) await other.destroy();
    });
    const results = await Promise.all([knex, ...others].map((k) => migrate(k)));
    expect(results.flatMap((r) => r.migrations)).toEqual(ALL);
    expect(await knex("switchyard_routes_migrations").count()).toEqual([
      { count: String(ALL.length) },
    ]);
    expect(await knex("switchyard_routes_migrations_lock").count()).toEqual([{ count: "1" }]);
  });

  it("a failing migration run leaves nothing behind (one transaction)", async () => {
    const knex = await freshDatabase(true);
    // A function of that name with another return type already exists: step 3 fails.
    await knex.raw("CREATE FUNCTION routes_notify_change() RETURNS int LANGUAGE sql AS 'SELECT 1'");
    await expect(migrate(knex)).rejects.toThrow(/return type/);
    expect(await knex.raw("SELECT to_regclass('routes') AS t")).toMatchObject({
      rows: [{ t: null }],
    });
    expect(await knex.raw("SELECT to_regclass('switchyard_routes_migrations') AS t")).toMatchObject(
      {
        rows: [{ t: null }],
      },
    );
  });

  it("adopt a routes table created by the reference schema, keeping its rows", async () => {
    const knex = await freshDatabase();
    await knex.raw(`CREATE TABLE routes (
      id UUID PRIMARY KEY, org_id UUID NOT NULL, name TEXT NOT NULL, priority INT NOT NULL,
      conditions JSONB NOT NULL, target JSONB NOT NULL, enabled BOOLEAN NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const org = randomUUID();
    const id = randomUUID();
    await knex.raw(
      `INSERT INTO routes (id, org_id, name, priority, conditions, target, enabled) VALUES (?, ?, 'legacy', 5, '{}', '{"target_model":"m"}', true)`,
      [id, org],
    );
    await migrate(knex);
    const store = new PostgresRoutingStore({ knex });
    expect((await store.listForOrg(org)).map((r) => r.id)).toEqual([id]);
    expect((await store.updateRoute(org, id, { priority: 6 }))?.priority).toBe(6);
    // The reference's insert leaves the id to the database.
    await knex.raw(
      `INSERT INTO routes (org_id, name, priority, conditions, target, enabled) VALUES (?, 'no-id', 1, '{}', '{"target_model":"m"}', true)`,
      [org],
    );
    expect((await store.listForOrg(org)).map((r) => r.name)).toEqual(["legacy", "no-id"]);
  });

  it("keep an id default that an adopted routes table already has", async () => {
    const knex = await freshDatabase();
    await knex.raw(
      `CREATE FUNCTION my_ids() RETURNS uuid LANGUAGE sql AS 'SELECT gen_random_uuid()'`,
    );
    await knex.raw(`CREATE TABLE routes (
      id UUID PRIMARY KEY DEFAULT my_ids(), org_id UUID NOT NULL, name TEXT NOT NULL, priority INT NOT NULL,
      conditions JSONB NOT NULL, target JSONB NOT NULL, enabled BOOLEAN NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    await migrate(knex);
    expect((await shape(knex)).columns[0].column_default).toBe("my_ids()");
    await rollbackAll(knex);
    expect(await knex.raw("SELECT to_regclass('routes') AS t")).toMatchObject({
      rows: [{ t: null }],
    });
  });

  it("give the id a default in a custom schema and prefix, and take it back on rollback", async () => {
    const knex = await freshDatabase();
    const names = { schema: "Tenant_A", tablePrefix: "sy_" };
    await migrate(knex, names);
    const defaultOf = async () =>
      (
        await knex.raw(
          "SELECT column_default FROM information_schema.columns WHERE table_schema = 'Tenant_A' AND table_name = 'sy_routes' AND column_name = 'id'",
        )
      ).rows[0]?.column_default;
    expect(await defaultOf()).toBe("gen_random_uuid()");
    await knex.migrate.down({
      migrationSource: routesMigrationSource(names),
      tableName: "switchyard_sy_routes_migrations",
      schemaName: "Tenant_A",
    });
    expect(await defaultOf()).toBeNull();
  });

  it("roll back completely and migrate again", async () => {
    const knex = await freshDatabase();
    await migrate(knex);
    expect(await rollbackAll(knex)).toEqual({ batch: 1, migrations: [...ALL].reverse() });
    expect(await knex.raw("SELECT to_regclass('routes') AS t")).toMatchObject({
      rows: [{ t: null }],
    });
    expect(await knex.raw("SELECT to_regclass('prompt_cache_entries') AS t")).toMatchObject({
      rows: [{ t: null }],
    });
    const fn = await knex.raw(
      "SELECT count(*)::int AS n FROM pg_proc WHERE proname = 'routes_notify_change'",
    );
    expect(fn.rows[0].n).toBe(0);
    expect((await migrate(knex)).migrations).toEqual(ALL);
  });

  it("work as a migration source for knex's own migrator", async () => {
    const knex = await freshDatabase();
    const config = {
      migrationSource: routesMigrationSource({ tablePrefix: "app_" }),
      tableName: "my_migrations",
    };
    const [, applied] = await knex.migrate.latest(config);
    expect(applied).toEqual(ALL);
    const [, again] = await knex.migrate.latest(config);
    expect(again).toEqual([]);
    const store = new PostgresRoutingStore({ knex, tablePrefix: "app_" });
    const org = randomUUID();
    const created = await store.createRoute(org, newRoute());
    expect(await store.getRoute(org, created.id)).toEqual(created);
  });

  it("create the schema when it does not exist yet", async () => {
    const knex = await freshDatabase();
    await migrate(knex, { schema: "tenant_routing" });
    const found = await knex.raw("SELECT to_regclass('tenant_routing.routes') AS t");
    expect(found.rows[0].t).toBe("tenant_routing.routes");
    const cache = await knex.raw("SELECT to_regclass('tenant_routing.prompt_cache_entries') AS t");
    expect(cache.rows[0].t).toBe("tenant_routing.prompt_cache_entries");
  });

  it("bring a database migrated before the cache table existed up to date, keeping its routes", async () => {
    const knex = await freshDatabase();
    const firstThree = ALL.slice(0, 3);
    const source = routesMigrationSource();
    const older = {
      ...source,
      getMigrations: async () => firstThree,
    };
    await knex.migrate.latest({
      migrationSource: older,
      tableName: "switchyard_routes_migrations",
    });
    const store = new PostgresRoutingStore({ knex });
    const org = randomUUID();
    const route = await store.createRoute(org, newRoute());
    expect(await migrate(knex)).toEqual({
      batch: 2,
      migrations: ["switchyard_0004_prompt_cache_entries", "switchyard_routes_0005_id_default"],
    });
    expect(await store.listForOrg(org)).toEqual([route]);
    const index = new PostgresCacheIndex({ knex });
    const scope = { principalId: org, virtualModel: "m", tokenizerVersion: "t" };
    const hash = new Uint8Array(32).fill(9);
    await index.write({
      scope,
      prefixHash: hash,
      cumulativeTokenCount: 5,
      ttlTier: "5m",
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await index.lookup(scope, [hash])).toHaveLength(1);
  });

  it("adopt a prompt_cache_entries table created by the reference schema, keeping its rows", async () => {
    const knex = await freshDatabase();
    await knex.raw(`CREATE TABLE prompt_cache_entries (
      id BIGSERIAL PRIMARY KEY, principal_id UUID NOT NULL, virtual_model TEXT NOT NULL,
      tokenizer_version TEXT NOT NULL, prefix_hash BYTEA NOT NULL, cumulative_token_count INT NOT NULL,
      ttl_tier TEXT NOT NULL CHECK (ttl_tier IN ('5m', '1h', '24h')),
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(), expires_at TIMESTAMPTZ NOT NULL,
      UNIQUE (principal_id, virtual_model, tokenizer_version, prefix_hash))`);
    const principal = randomUUID();
    const hash = Buffer.alloc(32, 7);
    await knex.raw(
      "INSERT INTO prompt_cache_entries (principal_id, virtual_model, tokenizer_version, prefix_hash, cumulative_token_count, ttl_tier, expires_at) VALUES (?, 'm', 't', ?, 1234, '1h', now() + interval '1 hour')",
      [principal, hash],
    );
    await migrate(knex);
    const index = new PostgresCacheIndex({ knex });
    const scope = { principalId: principal, virtualModel: "m", tokenizerVersion: "t" };
    const [match] = await index.lookup(scope, [hash]);
    expect(match).toMatchObject({ cumulativeTokenCount: 1234, ttlTier: "1h" });
    await index.write({
      scope,
      prefixHash: hash,
      cumulativeTokenCount: 99,
      ttlTier: "5m",
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect((await index.lookup(scope, [hash]))[0]?.cumulativeTokenCount).toBe(99);
  });
});
