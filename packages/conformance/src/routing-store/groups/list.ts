import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { newRoute, randomOrgId } from "../fixtures.js";

export function listTests({ store }: ContractContext): void {
  describe("listForOrg and listAllForOrg", () => {
    it("an org without routes lists [] from both, not an error", async () => {
      const org = randomOrgId();
      expect(await store().listForOrg(org)).toEqual([]);
      expect(await store().listAllForOrg(org)).toEqual([]);
    });

    it("listForOrg returns only enabled routes; listAllForOrg also the disabled ones", async () => {
      const org = randomOrgId();
      const on = await store().createRoute(org, newRoute({ name: "on" }));
      const off = await store().createRoute(org, newRoute({ name: "off", enabled: false }));
      expect(await store().listForOrg(org)).toEqual([on]);
      expect(await store().listAllForOrg(org)).toEqual([on, off]);
    });

    it("an org whose routes are all disabled lists [] for routing", async () => {
      const org = randomOrgId();
      await store().createRoute(org, newRoute({ enabled: false }));
      expect(await store().listForOrg(org)).toEqual([]);
      expect(await store().listAllForOrg(org)).toHaveLength(1);
    });

    it("lists every route of the org, as created", async () => {
      const org = randomOrgId();
      const created = [];
      for (let i = 0; i < 25; i++) created.push(await store().createRoute(org, newRoute()));
      const listed = await store().listForOrg(org);
      expect(listed).toHaveLength(25);
      expect(new Set(listed.map((r) => r.id))).toEqual(new Set(created.map((r) => r.id)));
      for (const route of created) expect(listed).toContainEqual(route);
    });

    it("a deleted route is no longer listed", async () => {
      const org = randomOrgId();
      const keep = await store().createRoute(org, newRoute());
      const gone = await store().createRoute(org, newRoute());
      await store().deleteRoute(org, gone.id);
      expect(await store().listForOrg(org)).toEqual([keep]);
      expect(await store().listAllForOrg(org)).toEqual([keep]);
    });
  });
}
