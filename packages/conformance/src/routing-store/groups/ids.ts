import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { newRoute, randomOrgId } from "../fixtures.js";

const NOT_UUIDS = [
  "",
  "42",
  "not-a-uuid",
  "'; DROP TABLE routes; --",
  "0000000-0000-0000-0000-000000000000",
];

export function idTests({ store }: ContractContext): void {
  describe("ids that are not UUIDs, and UUID spelling", () => {
    it("a route id that is not a UUID is not found, not an error", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute());
      for (const id of NOT_UUIDS) {
        expect(await store().getRoute(org, id)).toBeUndefined();
        expect(await store().deleteRoute(org, id)).toBe(false);
        expect(await store().updateRoute(org, id, { enabled: false })).toBeUndefined();
      }
      expect(await store().listAllForOrg(org)).toEqual([route]);
    });

    it("an org id that is not a UUID has no routes, not an error", async () => {
      const route = await store().createRoute(randomOrgId(), newRoute());
      for (const org of NOT_UUIDS) {
        expect(await store().listForOrg(org)).toEqual([]);
        expect(await store().listAllForOrg(org)).toEqual([]);
        expect(await store().getRoute(org, route.id)).toBeUndefined();
        expect(await store().deleteRoute(org, route.id)).toBe(false);
        expect(await store().updateRoute(org, route.id, { enabled: false })).toBeUndefined();
      }
    });

    it("upper-case spellings of the org and route UUIDs address the same route", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute());
      const ORG = org.toUpperCase();
      const ID = route.id.toUpperCase();
      expect(await store().getRoute(ORG, ID)).toEqual(route);
      expect(await store().listAllForOrg(ORG)).toEqual([route]);
      expect(await store().updateRoute(ORG, ID, { priority: 1 })).toEqual({
        ...route,
        priority: 1,
      });
      expect(await store().deleteRoute(ORG, ID)).toBe(true);
      expect(await store().listAllForOrg(org)).toEqual([]);
    });
  });
}
