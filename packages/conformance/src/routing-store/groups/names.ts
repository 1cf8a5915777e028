import { RouteConflictError } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { newRoute, randomOrgId } from "../fixtures.js";

export function nameTests({ store }: ContractContext): void {
  describe("route names are unique within an org (forced routing picks a route by name)", () => {
    it("createRoute with a name another route of the org has rejects with RouteConflictError and stores nothing", async () => {
      const org = randomOrgId();
      const first = await store().createRoute(org, newRoute({ name: "pin" }));
      const attempt = store().createRoute(org, newRoute({ name: "pin", priority: 7 }));
      await expect(attempt).rejects.toBeInstanceOf(RouteConflictError);
      await expect(attempt).rejects.toMatchObject({
        code: "E_ROUTE_CONFLICT",
        routeName: "pin",
        existingRouteId: first.id,
      });
      expect(await store().listAllForOrg(org)).toEqual([first]);
    });

    it("a disabled route's name is taken too", async () => {
      const org = randomOrgId();
      await store().createRoute(org, newRoute({ name: "off", enabled: false }));
      await expect(store().createRoute(org, newRoute({ name: "off" }))).rejects.toBeInstanceOf(
        RouteConflictError,
      );
    });

    it("names compare exactly; the same name in another org is free", async () => {
      const org = randomOrgId();
      await store().createRoute(org, newRoute({ name: "pin" }));
      for (const name of ["Pin", "pin ", " pin"]) {
        expect((await store().createRoute(org, newRoute({ name }))).name).toBe(name);
      }
      expect((await store().createRoute(randomOrgId(), newRoute({ name: "pin" }))).name).toBe(
        "pin",
      );
    });

    it("renaming onto another route's name rejects with RouteConflictError and changes nothing", async () => {
      const org = randomOrgId();
      const a = await store().createRoute(org, newRoute({ name: "a", priority: 2 }));
      const b = await store().createRoute(org, newRoute({ name: "b", priority: 1 }));
      const attempt = store().updateRoute(org, b.id, { name: "a", enabled: false });
      await expect(attempt).rejects.toMatchObject({
        code: "E_ROUTE_CONFLICT",
        routeName: "a",
        existingRouteId: a.id,
      });
      expect(await store().listAllForOrg(org)).toEqual([a, b]);
    });

    it("a patch that keeps the route's own name is no conflict; a freed name can be taken again", async () => {
      const org = randomOrgId();
      const a = await store().createRoute(org, newRoute({ name: "a" }));
      expect(await store().updateRoute(org, a.id, { name: "a", priority: 3 })).toEqual({
        ...a,
        priority: 3,
      });
      await store().updateRoute(org, a.id, { name: "renamed" });
      const again = await store().createRoute(org, newRoute({ name: "a" }));
      await store().deleteRoute(org, again.id);
      expect((await store().createRoute(org, newRoute({ name: "a" }))).name).toBe("a");
    });

    it("of concurrent creates with one name, exactly one succeeds", async () => {
      const org = randomOrgId();
      const outcomes = await Promise.allSettled(
        [1, 2, 3, 4].map((priority) =>
          store().createRoute(org, newRoute({ name: "race", priority })),
        ),
      );
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      for (const o of outcomes.filter((o) => o.status === "rejected")) {
        expect((o as PromiseRejectedResult).reason).toBeInstanceOf(RouteConflictError);
      }
      expect(await store().listAllForOrg(org)).toHaveLength(1);
    });
  });
}
