import { CachingRoutingStore } from "@switchyard/cache-l1";
import { parseNewRoute } from "@switchyard/core";
import { MemoryRoutingStore } from "@switchyard/store-memory";
import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrgConfig } from "../src/config/types.js";
import { seedRoutes } from "../src/stores/route-store.js";
import { type Harness, KEY_A, ORG_A, startHarness } from "./helpers/harness.js";
import { type Reply, routesApi } from "./helpers/http.js";

type Api = ReturnType<typeof routesApi>;

/**
 * Route writes that race: PATCHes validated against the route as it is
 * written (never as read before), on one gateway with the memory store and
 * on two gateways sharing one Postgres database (two replicas).
 */
const setups: Record<string, () => Promise<{ apis: [Api, Api]; close(): Promise<void> }>> = {
  "memory store, one gateway": async () => {
    const h = await startHarness();
    return { apis: [routesApi(h.url, KEY_A), routesApi(h.url, KEY_A)], close: () => h.close() };
  },
  "Postgres, two gateways": async () => {
    const db: TestDatabase = await createTestDatabase({ prefix: "sy_gateway_writes" });
    const overrides = { route_store: { database_url: db.url } };
    const first: Harness = await startHarness(overrides);
    const second: Harness = await startHarness(overrides);
    return {
      apis: [routesApi(first.url, KEY_A), routesApi(second.url, KEY_A)],
      async close() {
        await first.close();
        await second.close();
        await db.drop();
      },
    };
  },
};

for (const [label, setup] of Object.entries(setups)) {
  describe(`concurrent route writes (${label})`, () => {
    let apis: [Api, Api];
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ apis, close } = await setup());
    }, 60_000);
    afterAll(() => close?.());

    it("two PATCHes that are each valid but not together: one 200, one 400, and the stored route always passes validation", async () => {
      const [a, b] = apis;
      for (let round = 0; round < 20; round++) {
        const created = await a.create({ name: `race-${round}`, then: { target_model: "gpt-a" } });
        expect(created.status).toBe(201);
        const id = created.json.id as string;
        const replies: Reply[] = await Promise.all([
          a.patch(id, { when: { has_images: true } }),
          b.patch(id, { then: { target_model: "no-vision" } }),
        ]);
        const statuses = replies.map((r) => r.status).sort();
        expect(statuses, `round ${round}`).toEqual([200, 400]);
        const refused = replies.find((r) => r.status === 400);
        expect(refused?.json.error).toMatchObject({
          code: "invalid_route",
          param: "then.target_model",
          message: expect.stringContaining("missing the `vision` capability"),
        });
        const stored = (await a.get(id)).json;
        const broken = stored.when.has_images === true && stored.then.target_model === "no-vision";
        expect(broken, `round ${round}: ${JSON.stringify(stored)}`).toBe(false);
      }
    });

    it("route names are unique within the org: POST with a taken name and PATCH renaming onto one are 409 naming the route, and nothing changes", async () => {
      const [a, b] = apis;
      const pinned = (await a.create({ name: "pinned", then: { target_model: "gpt-a" } })).json;
      const other = (await a.create({ name: "other", then: { target_model: "gpt-b" } })).json;
      const before = (await a.list()).json.data;
      const conflict = {
        type: "invalid_request_error",
        code: "route_name_conflict",
        param: "name",
        message: expect.stringContaining(pinned.id),
      };
      const duplicate = await b.create({ name: "pinned", then: { target_model: "gpt-c" } });
      expect(duplicate.status).toBe(409);
      expect(duplicate.json.error).toMatchObject(conflict);
      const rename = await b.patch(other.id, { name: "pinned", enabled: false });
      expect(rename.status).toBe(409);
      expect(rename.json.error).toMatchObject(conflict);
      expect((await a.list()).json.data).toEqual(before);
      expect((await b.patch(other.id, { name: "other", priority: 3 })).status).toBe(200);
    });

    it("two creates of one name at once (one per gateway): one 201, one 409", async () => {
      const [a, b] = apis;
      for (let round = 0; round < 10; round++) {
        const body = { name: `twin-${round}`, then: { target_model: "gpt-a" } };
        const replies = await Promise.all([a.create(body), b.create(body)]);
        expect(replies.map((r) => r.status).sort(), `round ${round}`).toEqual([201, 409]);
      }
      const names = (await a.list()).json.data.map((r: { name: string }) => r.name);
      expect(new Set(names).size).toBe(names.length);
    });
  });
}

describe("seeding the configured routes", () => {
  it("two replicas seeding one store at once both succeed, and each configured route exists once", async () => {
    const store = new CachingRoutingStore(new MemoryRoutingStore());
    const routes = ["one", "two", "three"].map((name) =>
      parseNewRoute({ name, then: { target_model: "gpt-a" } }),
    );
    const orgs: OrgConfig[] = [{ id: ORG_A, name: "a", apiKeyHashes: [], routes }];
    const created = await Promise.all([seedRoutes(store, orgs), seedRoutes(store, orgs)]);
    expect(created[0] + created[1]).toBe(3);
    const names = (await store.listAllForOrg(ORG_A)).map((r) => r.name).sort();
    expect(names).toEqual(["one", "three", "two"]);
    await store.close();
  });
});
