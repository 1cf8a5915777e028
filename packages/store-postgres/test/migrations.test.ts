import { randomUUID } from "node:crypto";
import { newRoute } from "@switchyard/conformance";
import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import type { Knex } from "knex";
import { afterEach, describe, expect, it } from "vitest";
import { migrate, PostgresRoutingStore, rollbackAll, routesMigrationSource } from "../src/index.js";
import { connect } from "./helpers.js";

const ALL = [
  "switchyard_routes_0001_create_table",
  "switchyard_routes_0002_updated_at_and_order_index",
  "switchyard_routes_0003_notify_changes",
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

/** Columns, indexes and triggers of the routes table: what a migration run leaves behind. */
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
  it("run in a fresh database from zero and create the routing.md table", async () => {
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
    expect(recorded).toEqual([{ count: "3" }]);
  });

  it("several processes migrating a fresh database at once all succeed, each step applied once", async () => {
    const knex = await freshDatabase();
    const others = [1, 2, 3].map(() => connect(knex.client.config.connection as string));
    cleanups.push(async () => {
      for (const other of others) await other.destroy();
    });
    const results = await Promise.all([knex, ...others].map((k) => migrate(k)));
    expect(results.flatMap((r) => r.migrations)).toEqual(ALL);
    expect(await knex("switchyard_routes_migrations").count()).toEqual([{ count: "3" }]);
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
  });

  it("roll back completely and migrate again", async () => {
    const knex = await freshDatabase();
    await migrate(knex);
    expect(await rollbackAll(knex)).toEqual({ batch: 1, migrations: [...ALL].reverse() });
    expect(await knex.raw("SELECT to_regclass('routes') AS t")).toMatchObject({
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
  });
});
