import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
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
  });
}
