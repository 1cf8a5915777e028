import { routingStoreContract } from "@switchyard/conformance";
import { type Route, type RoutingStore, uuidv7 } from "@switchyard/core";
import { MemoryRoutingStore } from "@switchyard/store-memory";
import { describe, expect, it } from "vitest";
import { CachingRoutingStore } from "../src/index.js";

routingStoreContract(() => new CachingRoutingStore(new MemoryRoutingStore()), {
  label: "CachingRoutingStore over the memory store meets the RoutingStore contract",
  teardown: (store) => store.close(),
});

/** A store that hands out the very objects it holds (what the engine cache must not pass on). */
function sharingStore(routes: Route[]): RoutingStore {
  const none = () => Promise.reject(new Error("not used"));
  return {
    listForOrg: async () => routes,
    listAllForOrg: async () => routes,
    getRoute: async (_org, id) => routes.find((r) => r.id === id),
    createRoute: none,
    deleteRoute: none,
    updateRoute: none,
  };
}

const ORG = "0190a8b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b";
const request = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] };

/** Tries to retarget a route the way a careless caller would; frozen routes throw. */
function retarget(route: Route | undefined): void {
  try {
    if (route) route.then.target_model = "attacker-model";
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}

describe("routes handed out by the engine cache are not shared with later requests", () => {
  const overMemory = (route: Route) => {
    const memory = new MemoryRoutingStore();
    memory.setRoutes(ORG, [route]);
    return memory;
  };
  for (const [label, inner] of [
    ["over the memory store", overMemory],
    ["over a store that shares its objects", (route: Route) => sharingStore([route])],
  ] as const) {
    it(`changing a route from listForOrg, evaluate or findByName changes nothing later (${label})`, async () => {
      const route: Route = {
        id: uuidv7(),
        name: "pin",
        priority: 1,
        enabled: true,
        when: { model_in: [], input_tokens_lt: null, input_tokens_gt: null, tag_equals: null },
        then: { target_model: "gpt-4o-mini", fallbacks: ["gpt-4o"] },
      };
      const cache = new CachingRoutingStore(inner(route));
      const expected = structuredClone(route);
      const [listed] = await cache.listForOrg(ORG);
      retarget(listed);
      const engine = await cache.engineFor(ORG);
      retarget(engine.evaluate(request, {}, 1));
      retarget(engine.findByName("pin"));
      retarget(engine.explain(request, {}, 1).route);
      expect(engine.evaluate(request, {}, 1)).toEqual(expected);
      expect(engine.findByName("pin")).toEqual(expected);
      expect(await cache.listForOrg(ORG)).toEqual([expected]);
      expect(await cache.getRoute(ORG, route.id)).toEqual(expected);
      await cache.close();
    });
  }

  it("the routes a caller gave the engine stay the caller's: not frozen, not shared", async () => {
    const route: Route = {
      id: uuidv7(),
      name: "mine",
      priority: 1,
      enabled: true,
      when: { model_in: [], input_tokens_lt: null, input_tokens_gt: null, tag_equals: null },
      then: { target_model: "gpt-4o-mini" },
    };
    const cache = new CachingRoutingStore(sharingStore([route]));
    const engine = await cache.engineFor(ORG);
    route.then.target_model = "changed-by-owner";
    expect(engine.findByName("mine")?.then.target_model).toBe("gpt-4o-mini");
    await cache.close();
  });
});
