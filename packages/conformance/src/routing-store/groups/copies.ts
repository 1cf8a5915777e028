import { describe, expect, it } from "vitest";
import type { ContractContext } from "../context.js";
import { fullRoute, randomOrgId } from "../fixtures.js";

export function copyTests({ store }: ContractContext): void {
  describe("callers cannot change stored routes through the objects they pass in", () => {
    it("changing the input after createRoute does not change the stored route", async () => {
      const org = randomOrgId();
      const input = fullRoute();
      const created = await store().createRoute(org, input);
      const snapshot = structuredClone(created);
      input.name = "changed";
      input.when.model_in.push("sneaky");
      input.then.fallbacks?.push("sneaky");
      expect(await store().getRoute(org, created.id)).toEqual(snapshot);
    });

    it("changing a patch after updateRoute does not change the stored route", async () => {
      const org = randomOrgId();
      const created = await store().createRoute(org, fullRoute());
      const patch = { then: { target_model: "t", fallbacks: ["f"] } };
      await store().updateRoute(org, created.id, patch);
      patch.then.fallbacks.push("sneaky");
      expect((await store().getRoute(org, created.id))?.then).toEqual({
        target_model: "t",
        fallbacks: ["f"],
      });
    });
  });
}
