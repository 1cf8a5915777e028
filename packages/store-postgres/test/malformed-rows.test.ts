import { randomUUID } from "node:crypto";
import { newRoute } from "@switchyard/conformance";
import { isUuid, uuidv7 } from "@switchyard/core";
import type { Knex } from "knex";
import { beforeAll, describe, expect, it } from "vitest";
import { migrate, PostgresRoutingStore } from "../src/index.js";
import { recordingLogger, useDatabase } from "./helpers.js";

const database = useDatabase();
let knex: Knex;
beforeAll(async () => {
  knex = database.knex();
  await migrate(knex);
});

/** Inserts a row by raw SQL, the way another writer (or a bad migration) could. */
async function insertRaw(
  org: string,
  name: string,
  conditions: string,
  target: string,
  priority = 100,
) {
  const id = uuidv7();
  await knex.raw(
    "INSERT INTO routes (id, org_id, name, priority, conditions, target, enabled) VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, true)",
    [id, org, name, priority, conditions, target],
  );
  return id;
}

const GOOD_CONDITIONS =
  '{"model_in":[],"input_tokens_lt":null,"input_tokens_gt":null,"tag_equals":null}';

describe("rows whose conditions or target JSON does not decode", () => {
  it("are skipped and logged; the org's other routes still load in order", async () => {
    const logger = recordingLogger();
    const store = new PostgresRoutingStore({ knex, logger });
    const org = randomUUID();
    const high = await store.createRoute(org, newRoute({ name: "high", priority: 300 }));
    const badConditions = await insertRaw(
      org,
      "bad-conditions",
      '{"model_in":"gpt-4o"}',
      '{"target_model":"m"}',
      200,
    );
    const badTarget = await insertRaw(
      org,
      "bad-target",
      GOOD_CONDITIONS,
      '{"fallbacks":["x"]}',
      150,
    );
    const notObject = await insertRaw(org, "string-target", GOOD_CONDITIONS, '"gpt-4o"', 120);
    const arrayConditions = await insertRaw(
      org,
      "array-conditions",
      "[1,2]",
      '{"target_model":"m"}',
      110,
    );
    const low = await store.createRoute(org, newRoute({ name: "low", priority: 1 }));

    expect(await store.listForOrg(org)).toEqual([high, low]);
    expect(await store.listAllForOrg(org)).toEqual([high, low]);

    const skipped = logger.warnings.filter((w) => w.message.includes("skipping route"));
    expect(skipped).toHaveLength(8); // 4 bad rows, read by two lists
    expect(skipped.slice(0, 4).map((w) => [w.context.routeId, w.context.field])).toEqual([
      [badConditions, "conditions"],
      [badTarget, "target"],
      [notObject, "target"],
      [arrayConditions, "conditions"],
    ]);
    expect(skipped[0]?.context).toMatchObject({
      orgId: org,
      error: expect.stringContaining("when.model_in"),
    });
  });

  it("a conditions or target column holding JSON null or a JSON string is skipped, even when the string holds a route's JSON", async () => {
    const logger = recordingLogger();
    const store = new PostgresRoutingStore({ knex, logger });
    const org = randomUUID();
    const good = await store.createRoute(org, newRoute({ name: "good", priority: 50 }));
    const target = '{"target_model":"m"}';
    const asString = (json: string) => JSON.stringify(json); // a jsonb string scalar
    const bad = [
      [await insertRaw(org, "null-conditions", "null", target, 400), "conditions"],
      [await insertRaw(org, "null-target", GOOD_CONDITIONS, "null", 300), "target"],
      [
        await insertRaw(org, "string-conditions", asString(GOOD_CONDITIONS), target, 200),
        "conditions",
      ],
      [await insertRaw(org, "string-target", GOOD_CONDITIONS, asString(target), 100), "target"],
    ];
    expect(await store.listForOrg(org)).toEqual([good]);
    expect(await store.listAllForOrg(org)).toEqual([good]);
    for (const [id] of bad) expect(await store.getRoute(org, id as string)).toBeUndefined();
    const skipped = logger.warnings.filter((w) => w.message.includes("skipping route"));
    expect(skipped.slice(0, 4).map((w) => [w.context.routeId, w.context.field])).toEqual(bad);
    expect(skipped.map((w) => w.context.error)).toContain("is JSON null, not an object");
    expect(skipped.map((w) => w.context.error)).toContain("is a JSON string, not an object");
  });

  it("getRoute of a malformed row returns undefined and logs it", async () => {
    const logger = recordingLogger();
    const store = new PostgresRoutingStore({ knex, logger });
    const org = randomUUID();
    const id = await insertRaw(org, "bad", GOOD_CONDITIONS, '{"target_model":42}');
    expect(await store.getRoute(org, id)).toBeUndefined();
    expect(logger.warnings).toEqual([
      expect.objectContaining({
        context: expect.objectContaining({ routeId: id, field: "target" }),
      }),
    ]);
  });

  it("a malformed row can still be deleted, and repaired by updateRoute", async () => {
    const store = new PostgresRoutingStore({ knex, logger: recordingLogger() });
    const org = randomUUID();
    const broken = await insertRaw(org, "broken", GOOD_CONDITIONS, "{}");
    const repaired = await store.updateRoute(org, broken, { then: { target_model: "fixed" } });
    expect(repaired?.then).toEqual({ target_model: "fixed" });
    const doomed = await insertRaw(org, "doomed", '{"has_images":"yes"}', "{}");
    expect(await store.deleteRoute(org, doomed)).toBe(true);
    expect((await store.listAllForOrg(org)).map((r) => r.name)).toEqual(["broken"]);
  });
});

describe("rows written by other writers", () => {
  it("a row in the reference crate's full serialization loads (legacy keys ignored)", async () => {
    const store = new PostgresRoutingStore({ knex, logger: recordingLogger() });
    const org = randomUUID();
    const id = await insertRaw(
      org,
      "reference",
      '{"model_in":["a"],"input_tokens_lt":5000,"input_tokens_gt":null,"tag_equals":null,"has_images":null,"prompt_contains_any_of":[]}',
      '{"target_model":"x","fallbacks":[],"disable_cache":false,"max_cost_usd":null,"force_cache_layer":"l2"}',
    );
    expect(await store.getRoute(org, id)).toEqual({
      id,
      name: "reference",
      priority: 100,
      enabled: true,
      when: { model_in: ["a"], input_tokens_lt: 5000, input_tokens_gt: null, tag_equals: null },
      then: { target_model: "x" },
    });
  });

  it("a row inserted without an id (the reference's insert) gets one from the column default", async () => {
    const store = new PostgresRoutingStore({ knex, logger: recordingLogger() });
    const org = randomUUID();
    await knex.raw(
      "INSERT INTO routes (org_id, name, priority, conditions, target, enabled) VALUES (?, 'no-id', 7, ?::jsonb, ?::jsonb, true)",
      [org, GOOD_CONDITIONS, '{"target_model":"m"}'],
    );
    const [route] = await store.listForOrg(org);
    expect(route).toMatchObject({ name: "no-id", priority: 7, then: { target_model: "m" } });
    expect(isUuid(route?.id)).toBe(true);
    expect(await store.getRoute(org, route?.id ?? "")).toEqual(route);
  });

  it("a negative priority written by hand reads as 0", async () => {
    const store = new PostgresRoutingStore({ knex, logger: recordingLogger() });
    const org = randomUUID();
    const id = await insertRaw(org, "negative", GOOD_CONDITIONS, '{"target_model":"m"}', -5);
    expect((await store.getRoute(org, id))?.priority).toBe(0);
  });
});
