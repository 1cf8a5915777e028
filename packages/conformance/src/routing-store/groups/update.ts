import { randomUUID } from "node:crypto";
import { emptyConditions } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { fullRoute, newRoute, randomOrgId } from "../fixtures.js";

export function updateTests({ store }: ContractContext): void {
  describe("updateRoute changes only what the patch names", () => {
    it("enabled: false disables the route and changes nothing else", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, fullRoute());
      const updated = await store().updateRoute(org, route.id, { enabled: false });
      expect(updated).toEqual({ ...route, enabled: false });
      expect(await store().getRoute(org, route.id)).toEqual(updated);
    });

    it("a disabled route leaves listForOrg and comes back when enabled again", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute());
      await store().updateRoute(org, route.id, { enabled: false });
      expect(await store().listForOrg(org)).toEqual([]);
      expect(await store().listAllForOrg(org)).toEqual([{ ...route, enabled: false }]);
      await store().updateRoute(org, route.id, { enabled: true });
      expect(await store().listForOrg(org)).toEqual([route]);
    });

    it("priority and name change alone", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, fullRoute());
      expect(await store().updateRoute(org, route.id, { priority: 3 })).toEqual({
        ...route,
        priority: 3,
      });
      expect(await store().updateRoute(org, route.id, { name: "renamed" })).toEqual({
        ...route,
        priority: 3,
        name: "renamed",
      });
    });

    it("a disabled route stays disabled when the patch does not name enabled", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, fullRoute({ enabled: false }));
      const updated = await store().updateRoute(org, route.id, { priority: 1, name: "still-off" });
      expect(updated).toEqual({ ...route, priority: 1, name: "still-off" });
      expect(await store().listForOrg(org)).toEqual([]);
    });

    it("when is replaced whole and then is kept", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, fullRoute());
      const when = { ...emptyConditions(), tag_equals: "only-this" };
      const updated = await store().updateRoute(org, route.id, { when });
      expect(updated).toEqual({ ...route, when });
      expect(await store().getRoute(org, route.id)).toEqual({ ...route, when });
    });

    it("then is replaced whole and when is kept", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, fullRoute());
      const then = { target_model: "small-model" };
      const updated = await store().updateRoute(org, route.id, { then });
      expect(updated).toEqual({ ...route, then });
      expect(await store().getRoute(org, route.id)).toEqual({ ...route, then });
    });

    it("several fields change together", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute());
      const patch = {
        name: "n2",
        priority: 9,
        enabled: false,
        when: { ...emptyConditions(), model_in: ["x"] },
        then: { target_model: "y", fallbacks: ["z"] },
      };
      expect(await store().updateRoute(org, route.id, patch)).toEqual({ id: route.id, ...patch });
    });

    it("an empty patch changes nothing and returns the route", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, fullRoute());
      expect(await store().updateRoute(org, route.id, {})).toEqual(route);
      expect(await store().getRoute(org, route.id)).toEqual(route);
    });

    it("fields the patch leaves undefined are not touched", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, fullRoute());
      const patch = { priority: 5, name: undefined, when: undefined } as unknown as {
        priority: number;
      };
      expect(await store().updateRoute(org, route.id, patch)).toEqual({ ...route, priority: 5 });
    });

    it("returns undefined for an unknown id and changes no other route", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute());
      expect(await store().updateRoute(org, randomUUID(), { enabled: false })).toBeUndefined();
      expect(await store().listAllForOrg(org)).toEqual([route]);
    });

    it("returns undefined for a deleted route and does not bring it back", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute());
      await store().deleteRoute(org, route.id);
      expect(await store().updateRoute(org, route.id, { name: "zombie" })).toBeUndefined();
      expect(await store().listAllForOrg(org)).toEqual([]);
    });
  });
}
