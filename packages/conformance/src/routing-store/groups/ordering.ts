import type { Route } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { newRoute, randomOrgId } from "../fixtures.js";

const names = (routes: Route[]) => routes.map((r) => r.name);

export function orderingTests({ store }: ContractContext): void {
  describe("order of listed routes (priority high to low, then creation order)", () => {
    it("lists higher priorities first", async () => {
      const org = randomOrgId();
      for (const [name, priority] of [
        ["p1", 1],
        ["p300", 300],
        ["p0", 0],
        ["p20", 20],
      ] as const) {
        await store().createRoute(org, newRoute({ name, priority }));
      }
      expect(names(await store().listAllForOrg(org))).toEqual(["p300", "p20", "p1", "p0"]);
    });

    it("routes of equal priority keep creation order, in both lists", async () => {
      const org = randomOrgId();
      const plan = [
        ["a50", 50, true],
        ["b100", 100, true],
        ["c50", 50, true],
        ["d100", 100, false],
        ["e50", 50, true],
        ["f100", 100, true],
        ["g50", 50, false],
      ] as const;
      for (const [name, priority, enabled] of plan) {
        await store().createRoute(org, newRoute({ name, priority, enabled }));
      }
      expect(names(await store().listAllForOrg(org))).toEqual([
        "b100",
        "d100",
        "f100",
        "a50",
        "c50",
        "e50",
        "g50",
      ]);
      expect(names(await store().listForOrg(org))).toEqual(["b100", "f100", "a50", "c50", "e50"]);
    });

    it("many routes created in a burst with one priority stay in creation order", async () => {
      const org = randomOrgId();
      const expected: string[] = [];
      for (let i = 0; i < 30; i++) {
        expected.push((await store().createRoute(org, newRoute({ name: `burst-${i}` }))).name);
      }
      expect(names(await store().listForOrg(org))).toEqual(expected);
    });

    it("an update that keeps the priority keeps the route's place", async () => {
      const org = randomOrgId();
      const first = await store().createRoute(org, newRoute({ name: "first" }));
      await store().createRoute(org, newRoute({ name: "second" }));
      await store().updateRoute(org, first.id, { then: { target_model: "other" } });
      expect(names(await store().listAllForOrg(org))).toEqual(["first", "second"]);
    });

    it("changing the priority moves the route", async () => {
      const org = randomOrgId();
      await store().createRoute(org, newRoute({ name: "first" }));
      const second = await store().createRoute(org, newRoute({ name: "second" }));
      await store().updateRoute(org, second.id, { priority: 101 });
      expect(names(await store().listAllForOrg(org))).toEqual(["second", "first"]);
    });
  });
}
