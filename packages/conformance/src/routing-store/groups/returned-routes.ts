import type { Route, RoutingStore } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { fullRoute, randomOrgId } from "../fixtures.js";

/**
 * Every way a careless caller could change a route it got back. A store may
 * hand out deep-frozen routes (each attempt then throws a TypeError, ESM
 * being strict) or copies; either way no attempt may reach a later read.
 */
function tamper(route: Route | undefined): void {
  if (!route) return;
  const attempts = [
    () => {
      route.name = "tampered";
    },
    () => {
      route.priority = 0;
    },
    () => {
      route.enabled = !route.enabled;
    },
    () => {
      route.when.model_in.push("tampered");
    },
    () => {
      route.when.tag_equals = "tampered";
    },
    () => {
      route.when.prompt_contains_any_of?.splice(0, 1);
    },
    () => {
      route.then.target_model = "tampered";
    },
    () => {
      route.then.fallbacks?.push("tampered");
    },
    () => {
      route.when = { model_in: ["x"], input_tokens_lt: 1, input_tokens_gt: null, tag_equals: null };
    },
  ];
  for (const attempt of attempts) {
    try {
      attempt();
    } catch (error) {
      if (!(error instanceof TypeError)) throw error; // a frozen route refuses: fine
    }
  }
}

async function everyRead(store: RoutingStore, org: string, id: string) {
  return {
    got: await store.getRoute(org, id),
    listed: await store.listForOrg(org),
    listedAll: await store.listAllForOrg(org),
  };
}

export function returnedRouteTests({ store }: ContractContext): void {
  describe("a route handed out is never shared: changing it never changes what later reads return", () => {
    it("changing the routes returned by every read and write leaves every later read unchanged", async () => {
      const org = randomOrgId();
      const created = await store().createRoute(org, fullRoute());
      const expected = structuredClone({ ...created, priority: 1 });
      tamper(created);
      tamper(await store().getRoute(org, expected.id));
      for (const route of await store().listForOrg(org)) tamper(route);
      for (const route of await store().listAllForOrg(org)) tamper(route);
      tamper(await store().updateRoute(org, expected.id, { priority: 1 }));
      expect(await everyRead(store(), org, expected.id)).toEqual({
        got: expected,
        listed: [expected],
        listedAll: [expected],
      });
    });

    it("changing the routes of one listForOrg never reaches the next listForOrg (a cache hands out what it holds)", async () => {
      const org = randomOrgId();
      const a = await store().createRoute(org, fullRoute({ name: "a", priority: 2 }));
      const b = await store().createRoute(org, fullRoute({ name: "b", priority: 1 }));
      const expected = structuredClone([a, b]);
      for (let round = 0; round < 3; round++) {
        const listed = await store().listForOrg(org);
        for (const route of listed) tamper(route);
        expect(await store().listForOrg(org)).toEqual(expected);
      }
      expect(await everyRead(store(), org, a.id)).toEqual({
        got: expected[0],
        listed: expected,
        listedAll: expected,
      });
    });

    it("changing a returned list (push, splice, sort) never changes the next one", async () => {
      const org = randomOrgId();
      const a = await store().createRoute(org, fullRoute({ name: "a", priority: 2 }));
      const b = await store().createRoute(org, fullRoute({ name: "b", priority: 1 }));
      const listed = await store().listForOrg(org);
      listed.reverse();
      listed.splice(0, 1);
      const all = await store().listAllForOrg(org);
      all.push({ ...a, id: "00000000-0000-7000-8000-000000000000" });
      expect(await store().listForOrg(org)).toEqual([a, b]);
      expect(await store().listAllForOrg(org)).toEqual([a, b]);
    });
  });
}
