import { randomUUID } from "node:crypto";
import { newRoute } from "@switchyard/conformance";
import {
  emptyConditions,
  type ModelCatalog,
  type Route,
  RouteConflictError,
  RouteValidationError,
  unwrapValidation,
  validateNewRoute,
} from "@switchyard/core";
import { beforeAll, describe, expect, it } from "vitest";
import { migrate, PostgresRoutingStore } from "../src/index.js";
import { useDatabase } from "./helpers.js";

const database = useDatabase();
let replicas: [PostgresRoutingStore, PostgresRoutingStore];
beforeAll(async () => {
  // Two knex pools: two replicas of the gateway on one database.
  const [a, b] = [database.knex(), database.knex()];
  await migrate(a);
  replicas = [new PostgresRoutingStore({ knex: a }), new PostgresRoutingStore({ knex: b })];
});

const catalog: ModelCatalog = new Map([
  ["vision-model", { capabilities: { vision: true } }],
  ["text-only", { capabilities: { vision: false } }],
]);

/** What the gateway checks: every rule of a new route, on the route as it would be stored. */
function validate(next: Route): void {
  const { id: _id, ...fields } = next;
  unwrapValidation(validateNewRoute(fields, catalog));
}

describe("updateRoute validates and writes atomically across replicas", () => {
  it("two replicas patching has_images and a target without vision at once never store a route that fails validation", async () => {
    const [a, b] = replicas;
    const rounds = 30;
    let refused = 0;
    for (let round = 0; round < rounds; round++) {
      const org = randomUUID();
      const route = await a.createRoute(org, newRoute({ then: { target_model: "vision-model" } }));
      const images = { when: { ...emptyConditions(), has_images: true } };
      const textOnly = { then: { target_model: "text-only" } };
      const outcomes = await Promise.allSettled([
        a.updateRoute(org, route.id, images, { validate }),
        b.updateRoute(org, route.id, textOnly, { validate }),
      ]);
      const stored = await a.getRoute(org, route.id);
      expect(stored).toBeDefined();
      expect(() => validate(stored as Route)).not.toThrow();
      // Each patch is valid alone, so exactly one wins and the other is refused on what the first wrote.
      const rejected = outcomes.filter((o) => o.status === "rejected");
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(RouteValidationError);
      refused++;
    }
    expect(refused).toBe(rounds);
  });

  it("a refused update writes nothing and leaves updated_at alone", async () => {
    const [a] = replicas;
    const org = randomUUID();
    const route = await a.createRoute(org, newRoute({ then: { target_model: "text-only" } }));
    const before = await database
      .knex()
      .raw("SELECT updated_at FROM routes WHERE id = ?", [route.id]);
    await expect(
      a.updateRoute(
        org,
        route.id,
        { when: { ...emptyConditions(), has_images: true } },
        { validate },
      ),
    ).rejects.toBeInstanceOf(RouteValidationError);
    const after = await database
      .knex()
      .raw("SELECT updated_at FROM routes WHERE id = ?", [route.id]);
    expect(after.rows).toEqual(before.rows);
    expect(await a.getRoute(org, route.id)).toEqual(route);
  });

  it("with a validate hook, a row whose other column does not decode reads as missing; a patch replacing the bad column repairs it", async () => {
    const [a] = replicas;
    const org = randomUUID();
    const route = await a.createRoute(org, newRoute({ then: { target_model: "vision-model" } }));
    await database.knex().raw("UPDATE routes SET target = 'null' WHERE id = ?", [route.id]);
    expect(await a.updateRoute(org, route.id, { priority: 5 }, { validate })).toBeUndefined();
    const repaired = await a.updateRoute(
      org,
      route.id,
      { then: { target_model: "text-only" } },
      { validate },
    );
    expect(repaired).toEqual({ ...route, then: { target_model: "text-only" } });
  });
});

describe("route names stay unique within an org across replicas", () => {
  it("of two replicas creating one name at once, exactly one succeeds (20 rounds)", async () => {
    const [a, b] = replicas;
    for (let round = 0; round < 20; round++) {
      const org = randomUUID();
      const outcomes = await Promise.allSettled([
        a.createRoute(org, newRoute({ name: "same" })),
        b.createRoute(org, newRoute({ name: "same" })),
      ]);
      expect(outcomes.map((o) => o.status).sort(), `round ${round}`).toEqual([
        "fulfilled",
        "rejected",
      ]);
      const rejected = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(RouteConflictError);
      expect((await a.listAllForOrg(org)).map((r) => r.name)).toEqual(["same"]);
    }
  });

  it("of two replicas renaming two routes onto one name at once, exactly one succeeds (20 rounds)", async () => {
    const [a, b] = replicas;
    for (let round = 0; round < 20; round++) {
      const org = randomUUID();
      const first = await a.createRoute(org, newRoute({ name: "first" }));
      const second = await a.createRoute(org, newRoute({ name: "second" }));
      const outcomes = await Promise.allSettled([
        a.updateRoute(org, first.id, { name: "target" }),
        b.updateRoute(org, second.id, { name: "target" }, { validate }),
      ]);
      expect(
        outcomes.filter((o) => o.status === "fulfilled"),
        `round ${round}`,
      ).toHaveLength(1);
      const names = (await a.listAllForOrg(org)).map((r) => r.name).sort();
      expect(names.filter((n) => n === "target")).toHaveLength(1);
    }
  });

  it("duplicates an older writer left behind still load, can be patched and renamed apart, and block their name", async () => {
    const [a] = replicas;
    const knex = database.knex();
    const org = randomUUID();
    const insert = (priority: number) =>
      knex.raw(
        `INSERT INTO routes (org_id, name, priority, conditions, target, enabled) VALUES (?, 'dup', ?, '{}', '{"target_model":"vision-model"}', true) RETURNING id`,
        [org, priority],
      );
    const high = (await insert(2)).rows[0].id as string;
    const low = (await insert(1)).rows[0].id as string;
    expect((await a.listForOrg(org)).map((r) => r.id)).toEqual([high, low]);
    expect((await a.updateRoute(org, low, { name: "dup", priority: 0 }))?.priority).toBe(0);
    await expect(a.createRoute(org, newRoute({ name: "dup" }))).rejects.toMatchObject({
      code: "E_ROUTE_CONFLICT",
      existingRouteId: high,
    });
    expect((await a.updateRoute(org, low, { name: "dup-2" }))?.name).toBe("dup-2");
    await expect(a.updateRoute(org, low, { name: "dup" })).rejects.toBeInstanceOf(
      RouteConflictError,
    );
  });
});
