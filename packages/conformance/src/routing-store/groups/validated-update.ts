import { randomUUID } from "node:crypto";
import { emptyConditions, type Route } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { fullRoute, newRoute, randomOrgId } from "../fixtures.js";

class Refused extends Error {}

export function validatedUpdateTests({ store }: ContractContext): void {
  describe("updateRoute's validate hook checks the route as it would be after the patch", () => {
    it("validate gets the merged route; when it returns, the patch is written", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, fullRoute());
      const seen: Route[] = [];
      const patch = { name: "renamed", then: { target_model: "other-model" } };
      const updated = await store().updateRoute(org, route.id, patch, {
        validate: (next) => {
          seen.push(structuredClone(next));
        },
      });
      const expected = { ...route, ...patch };
      expect(seen).toEqual([expected]);
      expect(updated).toEqual(expected);
      expect(await store().getRoute(org, route.id)).toEqual(expected);
    });

    it("a validate that throws refuses the update: updateRoute rejects with that error and nothing is written", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, fullRoute());
      const refusal = new Refused("has_images needs a vision model");
      const attempt = store().updateRoute(
        org,
        route.id,
        { enabled: false, when: { ...emptyConditions(), has_images: true } },
        {
          validate: () => {
            throw refusal;
          },
        },
      );
      await expect(attempt).rejects.toBe(refusal);
      expect(await store().getRoute(org, route.id)).toEqual(route);
      expect(await store().listForOrg(org)).toEqual([route]);
    });

    it("validate sees what earlier updates wrote, not what the caller read before", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute({ priority: 1 }));
      await store().updateRoute(org, route.id, { then: { target_model: "written-meanwhile" } });
      let seen: Route | undefined;
      await store().updateRoute(
        org,
        route.id,
        { priority: 2 },
        {
          validate: (next) => {
            seen = structuredClone(next);
          },
        },
      );
      expect(seen).toEqual({ ...route, priority: 2, then: { target_model: "written-meanwhile" } });
    });

    it("validate runs for an empty patch too (a refusal rejects), and never for an unknown or another org's id", async () => {
      const org = randomOrgId();
      const route = await store().createRoute(org, newRoute());
      const calls: string[] = [];
      const refuse = {
        validate: (next: Route) => {
          calls.push(next.id);
          throw new Refused("no");
        },
      };
      await expect(store().updateRoute(org, route.id, {}, refuse)).rejects.toBeInstanceOf(Refused);
      expect(await store().updateRoute(org, randomUUID(), { priority: 1 }, refuse)).toBeUndefined();
      expect(await store().updateRoute(randomOrgId(), route.id, { priority: 1 }, refuse)).toBe(
        undefined,
      );
      expect(calls).toEqual([route.id]);
      expect(await store().getRoute(org, route.id)).toEqual(route);
    });
  });
}
