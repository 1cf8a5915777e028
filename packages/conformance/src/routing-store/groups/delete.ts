import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { newRoute, randomOrgId } from "../fixtures.js";

export function deleteTests({ store }: ContractContext): void {
  describe("deleteRoute", () => {
    it("returns true when it removed the route", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute());
      expect(await store().deleteRoute(org, route.id)).toBe(true);
      expect(await store().listAllForOrg(org)).toEqual([]);
    });

    it("returns false the second time", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute());
      await store().deleteRoute(org, route.id);
      expect(await store().deleteRoute(org, route.id)).toBe(false);
    });

    it("returns false for an id that was never created and removes nothing", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute());
      expect(await store().deleteRoute(org, randomUUID())).toBe(false);
      expect(await store().listAllForOrg(org)).toEqual([route]);
    });

    it("returns false for an org that has no routes", async () => {
      expect(await store().deleteRoute(randomOrgId(), randomUUID())).toBe(false);
    });

    it("removes only the named route", async () => {
      const org = randomOrgId();
      const a = await store().createRoute(org, newRoute({ name: "a" }));
      const b = await store().createRoute(org, newRoute({ name: "b", enabled: false }));
      const c = await store().createRoute(org, newRoute({ name: "c" }));
      expect(await store().deleteRoute(org, b.id)).toBe(true);
      expect(await store().listAllForOrg(org)).toEqual([a, c]);
    });
  });
}
