import { emptyConditions, parseNewRoute } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { fullRoute, newRoute, randomOrgId, UUID_V7, withoutId } from "../fixtures.js";

export function createTests({ store }: ContractContext): void {
  describe("createRoute", () => {
    it("assigns a lower-case UUID v7 id", async () => {
      const route = await store().createRoute(randomOrgId(), newRoute());
      expect(route.id).toMatch(UUID_V7);
    });

    it("assigns a different id to every route, also across orgs", async () => {
      const org = randomOrgId();
      const ids = new Set<string>();
      for (let i = 0; i < 10; i++) ids.add((await store().createRoute(org, newRoute())).id);
      ids.add((await store().createRoute(randomOrgId(), newRoute())).id);
      expect(ids.size).toBe(11);
    });

    it("returns the route as given, plus its id", async () => {
      const input = newRoute({ name: "pin-to-mini", priority: 7 });
      const created = await store().createRoute(randomOrgId(), input);
      expect(withoutId(created)).toEqual(input);
    });

    it("stores the defaults of a minimal route: priority 100, enabled, no conditions", async () => {
      const org = randomOrgId();
      const input = parseNewRoute({ name: "minimal", then: { target_model: "m" } });
      const created = await store().createRoute(org, input);
      const read = await store().getRoute(org, created.id);
      expect(read).toEqual({
        id: created.id,
        name: "minimal",
        priority: 100,
        enabled: true,
        when: emptyConditions(),
        then: { target_model: "m" },
      });
    });

    it("round-trips every condition and action field", async () => {
      const org = randomOrgId();
      const input = fullRoute();
      const created = await store().createRoute(org, input);
      expect(withoutId(created)).toEqual(input);
      expect(await store().getRoute(org, created.id)).toEqual(created);
      expect(await store().listAllForOrg(org)).toEqual([created]);
    });

    it("keeps priority 0 and large priorities as given", async () => {
      const org = randomOrgId();
      const low = await store().createRoute(org, newRoute({ priority: 0 }));
      const high = await store().createRoute(org, newRoute({ priority: 2_000_000_000 }));
      expect((await store().getRoute(org, low.id))?.priority).toBe(0);
      expect((await store().getRoute(org, high.id))?.priority).toBe(2_000_000_000);
    });

    it("stores a disabled route as disabled", async () => {
      const org = randomOrgId();
      const created = await store().createRoute(org, newRoute({ enabled: false }));
      expect(created.enabled).toBe(false);
      expect((await store().getRoute(org, created.id))?.enabled).toBe(false);
    });

    it("keeps names as given, including spaces and non-ASCII text", async () => {
      const org = randomOrgId();
      const created = await store().createRoute(
        org,
        newRoute({ name: "  Größe → 大 'quoted' \"x\" " }),
      );
      expect((await store().getRoute(org, created.id))?.name).toBe("  Größe → 大 'quoted' \"x\" ");
    });
  });
}
