import { randomUUID } from "node:crypto";
import { fullRoute, newRoute } from "@switchyard/conformance";
import { actionToWire, conditionsToWire, MAX_PRIORITY, RoutingStoreError } from "@switchyard/core";
import type { Knex } from "knex";
import { beforeAll, describe, expect, it } from "vitest";
import { migrate, PostgresRoutingStore, PRIORITY_COLUMN_MAX } from "../src/index.js";
import { recordingLogger, useDatabase } from "./helpers.js";

const database = useDatabase();
let knex: Knex;
beforeAll(async () => {
  knex = database.knex();
  await migrate(knex);
});

async function rawRow(id: string) {
  const rows = await knex("routes").where({ id });
  return rows[0];
}

describe("what createRoute and updateRoute write", () => {
  it("createRoute stores conditions and target in the exact wire form", async () => {
    const store = new PostgresRoutingStore({ knex });
    const org = randomUUID();
    for (const input of [newRoute(), fullRoute()]) {
      const created = await store.createRoute(org, input);
      const row = await rawRow(created.id);
      expect(row.conditions).toEqual(conditionsToWire(input.when));
      expect(row.target).toEqual(actionToWire(input.then));
      expect(row.org_id).toBe(org);
    }
    const minimal = await rawRow(
      (await store.createRoute(org, newRoute({ then: { target_model: "m" } }))).id,
    );
    expect(minimal.conditions).toEqual({
      model_in: [],
      input_tokens_lt: null,
      input_tokens_gt: null,
      tag_equals: null,
    });
    expect(minimal.target).toEqual({ target_model: "m" });
  });

  it("updateRoute writes only the named columns and bumps updated_at, keeping created_at", async () => {
    const store = new PostgresRoutingStore({ knex });
    const org = randomUUID();
    const created = await store.createRoute(org, fullRoute());
    const before = await rawRow(created.id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.updateRoute(org, created.id, { priority: 1 });
    const after = await rawRow(created.id);
    expect(after).toEqual({ ...before, priority: 1, updated_at: after.updated_at });
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
    expect(after.created_at).toEqual(before.created_at);
  });

  it("updateRoute writes a new when or then in the exact wire form", async () => {
    const store = new PostgresRoutingStore({ knex });
    const org = randomUUID();
    const created = await store.createRoute(org, newRoute());
    const { when, then } = fullRoute();
    await store.updateRoute(org, created.id, { when, then });
    const row = await rawRow(created.id);
    expect(row.conditions).toEqual(conditionsToWire(when));
    expect(row.target).toEqual(actionToWire(then));
  });

  it("a priority above the int column's range is clamped to 2^31-1 and logged", async () => {
    const logger = recordingLogger();
    const store = new PostgresRoutingStore({ knex, logger });
    const org = randomUUID();
    const created = await store.createRoute(org, newRoute({ priority: MAX_PRIORITY }));
    expect(created.priority).toBe(PRIORITY_COLUMN_MAX);
    expect((await rawRow(created.id)).priority).toBe(2_147_483_647);
    const updated = await store.updateRoute(org, created.id, { priority: 3_000_000_000 });
    expect(updated?.priority).toBe(PRIORITY_COLUMN_MAX);
    expect(logger.warnings.map((w) => w.context.stored)).toEqual([
      PRIORITY_COLUMN_MAX,
      PRIORITY_COLUMN_MAX,
    ]);
  });

  it("rows that tie on priority and created_at are ordered by id", async () => {
    const store = new PostgresRoutingStore({ knex });
    const org = randomUUID();
    const ids = [
      "00000000-0000-7000-8000-000000000003",
      "00000000-0000-7000-8000-000000000001",
    ].map((suffix) => suffix.replace(/^00000000/, randomUUID().slice(0, 8)));
    const at = new Date("2025-01-01T00:00:00Z");
    for (const id of ids) {
      await knex("routes").insert({
        id,
        org_id: org,
        name: id,
        priority: 5,
        conditions: JSON.stringify(conditionsToWire(newRoute().when)),
        target: JSON.stringify({ target_model: "m" }),
        created_at: at,
      });
    }
    expect((await store.listForOrg(org)).map((r) => r.id)).toEqual([...ids].sort());
  });
});

describe("inputs that must never reach PostgreSQL as errors", () => {
  it("ids that are not UUIDs are answered without a query", async () => {
    const store = new PostgresRoutingStore({ knex });
    let queries = 0;
    const count = () => {
      queries += 1;
    };
    knex.on("query", count);
    try {
      expect(await store.listForOrg("nope")).toEqual([]);
      expect(await store.getRoute(randomUUID(), "nope")).toBeUndefined();
      expect(await store.deleteRoute("nope", randomUUID())).toBe(false);
      expect(
        await store.updateRoute(randomUUID(), "1; DROP TABLE routes", { enabled: false }),
      ).toBeUndefined();
    } finally {
      knex.removeListener("query", count);
    }
    expect(queries).toBe(0);
  });

  it("createRoute with an org id that is not a UUID rejects with RoutingStoreError", async () => {
    const store = new PostgresRoutingStore({ knex });
    const error = await store.createRoute("acme", newRoute()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoutingStoreError);
    expect((error as RoutingStoreError).code).toBe("E_ROUTING_STORE_BACKEND");
    expect((error as Error).message).toMatch(/org id as a UUID/);
  });

  it("quotes and SQL in names and JSON are stored as data", async () => {
    const store = new PostgresRoutingStore({ knex });
    const org = randomUUID();
    const evil = "x'); DROP TABLE routes; --";
    const created = await store.createRoute(
      org,
      newRoute({ name: evil, then: { target_model: evil } }),
    );
    expect(await store.getRoute(org, created.id)).toEqual(created);
    expect(await knex.raw("SELECT to_regclass('routes') AS t")).toMatchObject({
      rows: [{ t: "routes" }],
    });
  });
});

describe("backend failures", () => {
  it("reject with RoutingStoreError carrying the cause and the fix for a missing table", async () => {
    const store = new PostgresRoutingStore({ knex, tablePrefix: "never_migrated_" });
    const error = await store.listForOrg(randomUUID()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoutingStoreError);
    expect((error as Error).message).toMatch(/never_migrated_routes.*does not exist.*run migrate/);
    expect((error as RoutingStoreError).cause).toMatchObject({ code: "42P01" });
  });
});

describe("ownership of the knex instance", () => {
  it("closing the store and its watchers leaves the caller's knex usable", async () => {
    const store = new PostgresRoutingStore({ knex });
    const subscription = await store.watch(() => {});
    await subscription.close();
    await store.watch(() => {});
    await store.close();
    const org = randomUUID();
    await store.createRoute(org, newRoute());
    expect(await knex("routes").where({ org_id: org }).count()).toEqual([{ count: "1" }]);
  });
});
