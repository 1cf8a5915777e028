import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { fullRoute, newRoute, randomOrgId } from "../fixtures.js";

export function isolationTests({ store }: ContractContext): void {
  describe("org isolation: another org's route id behaves like an unknown id", () => {
    it("getRoute under another org returns undefined", async () => {
      const owner = randomOrgId();
      const route = await store().createRoute(owner, newRoute());
      expect(await store().getRoute(randomOrgId(), route.id)).toBeUndefined();
    });

    it("deleteRoute under another org returns false and the owner keeps the route", async () => {
      const owner = randomOrgId();
      const route = await store().createRoute(owner, newRoute());
      expect(await store().deleteRoute(randomOrgId(), route.id)).toBe(false);
      expect(await store().getRoute(owner, route.id)).toEqual(route);
    });

    it("updateRoute under another org returns undefined and changes nothing", async () => {
      const owner = randomOrgId();
      const route = await store().createRoute(owner, fullRoute());
      const other = randomOrgId();
      const result = await store().updateRoute(other, route.id, { enabled: false, name: "stolen" });
      expect(result).toBeUndefined();
      expect(await store().getRoute(owner, route.id)).toEqual(route);
      expect(await store().listAllForOrg(other)).toEqual([]);
    });

    it("each org lists only its own routes", async () => {
      const a = randomOrgId();
      const b = randomOrgId();
      const routeA = await store().createRoute(a, newRoute({ name: "of-a" }));
      const routeB = await store().createRoute(b, newRoute({ name: "of-b" }));
      const disabledB = await store().createRoute(b, newRoute({ name: "off-b", enabled: false }));
      expect(await store().listForOrg(a)).toEqual([routeA]);
      expect(await store().listAllForOrg(a)).toEqual([routeA]);
      expect(await store().listForOrg(b)).toEqual([routeB]);
      expect(await store().listAllForOrg(b)).toEqual([routeB, disabledB]);
      expect(await store().listAllForOrg(randomOrgId())).toEqual([]);
    });

    it("deleting one org's routes leaves the other org's alone", async () => {
      const a = randomOrgId();
      const b = randomOrgId();
      const routeA = await store().createRoute(a, newRoute());
      const routeB = await store().createRoute(b, newRoute());
      expect(await store().deleteRoute(a, routeA.id)).toBe(true);
      expect(await store().listAllForOrg(b)).toEqual([routeB]);
    });
  });
}
