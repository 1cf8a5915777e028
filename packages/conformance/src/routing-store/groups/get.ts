import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { fullRoute, newRoute, randomOrgId } from "../fixtures.js";

export function getTests({ store }: ContractContext): void {
  describe("getRoute", () => {
    it("returns the route by id, disabled or not", async () => {
      const org = randomOrgId();
      const on = await store().createRoute(org, fullRoute());
      const off = await store().createRoute(org, newRoute({ enabled: false }));
      expect(await store().getRoute(org, on.id)).toEqual(on);
      expect(await store().getRoute(org, off.id)).toEqual(off);
    });

    it("returns undefined for an id that was never created", async () => {
      const org = randomOrgId();
      await store().createRoute(org, newRoute());
      expect(await store().getRoute(org, randomUUID())).toBeUndefined();
    });

    it("returns undefined after the route was deleted", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute());
      await store().deleteRoute(org, route.id);
      expect(await store().getRoute(org, route.id)).toBeUndefined();
    });
  });
}
