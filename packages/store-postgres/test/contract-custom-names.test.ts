import { routingStoreContract } from "@switchyard/conformance";
import type { Knex } from "knex";
import { beforeAll, describe, expect, it } from "vitest";
import { migrate, PostgresRoutingStore } from "../src/index.js";
import { useDatabase } from "./helpers.js";

const names = { schema: "routing", tablePrefix: "sy_" };
const database = useDatabase();
let knex: Knex;
beforeAll(async () => {
  knex = database.knex();
  await migrate(knex, names);
});

routingStoreContract(() => new PostgresRoutingStore({ knex, ...names }), {
  label: "PostgresRoutingStore with schema and tablePrefix meets the RoutingStore contract",
  changeFeed: true,
  teardown: (store) => store.close(),
});

describe("schema and tablePrefix", () => {
  it("put the tables, the migrations table and the trigger in that schema under those names", async () => {
    const tables = await knex
      .select("table_name")
      .from("information_schema.tables")
      .where({ table_schema: "routing" })
      .orderBy("table_name");
    expect(tables.map((t) => t.table_name)).toEqual([
      "switchyard_sy_routes_migrations",
      "switchyard_sy_routes_migrations_lock",
      "sy_prompt_cache_entries",
      "sy_routes",
    ]);
    const triggers = await knex.raw(
      "SELECT tgname FROM pg_trigger WHERE tgrelid = 'routing.sy_routes'::regclass AND NOT tgisinternal",
    );
    expect(triggers.rows).toEqual([{ tgname: "sy_routes_notify_change" }]);
    expect(await knex.raw("SELECT to_regclass('public.routes') AS t")).toMatchObject({
      rows: [{ t: null }],
    });
  });

  it("name the NOTIFY channel after the schema and table", () => {
    expect(new PostgresRoutingStore({ knex, ...names }).names.channel).toBe(
      "switchyard_routing_sy_routes_changed",
    );
    expect(new PostgresRoutingStore({ knex }).names.channel).toBe("switchyard_routes_changed");
  });
});
