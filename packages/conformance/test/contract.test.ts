import { describe, expect, it } from "vitest";
import {
  ChangeRecorder,
  fullRoute,
  newRoute,
  randomOrgId,
  routingStoreContract,
  UUID_V7,
} from "../src/index.js";
import { NaiveStore } from "./naive-store.js";

routingStoreContract(() => new NaiveStore(), {
  label: "the contract passes for the simplest correct store",
  changeFeed: true,
});

describe("fixtures", () => {
  it("newRoute gives each route its own name and the wire defaults", () => {
    const [a, b] = [newRoute(), newRoute()];
    expect(a.name).not.toBe(b.name);
    expect(a).toMatchObject({
      priority: 100,
      enabled: true,
      then: { target_model: "gpt-4o-mini" },
    });
  });

  it("fullRoute sets every optional condition and action field", () => {
    const { when, then } = fullRoute();
    expect(Object.keys(when).sort()).toEqual(
      [
        "estimated_cost_gt",
        "estimated_cost_lt",
        "has_audio",
        "has_images",
        "has_tools",
        "input_tokens_gt",
        "input_tokens_lt",
        "model_in",
        "prompt_contains_any_of",
        "stream",
        "tag_equals",
      ].sort(),
    );
    expect(Object.keys(then).sort()).toEqual([
      "disable_cache",
      "fallbacks",
      "max_cost_usd",
      "target_model",
    ]);
  });

  it("randomOrgId gives distinct UUIDs; UUID_V7 accepts only lower-case v7", () => {
    expect(randomOrgId()).not.toBe(randomOrgId());
    expect("0190a8b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b").toMatch(UUID_V7);
    expect("0190A8B2-7C3D-7E4F-8A1B-2C3D4E5F6A7B").not.toMatch(UUID_V7);
    expect("0190a8b2-7c3d-4e4f-8a1b-2c3d4e5f6a7b").not.toMatch(UUID_V7);
  });
});

describe("ChangeRecorder", () => {
  it("waitFor resolves with a change seen before or after the call", async () => {
    const recorder = new ChangeRecorder();
    recorder.onChange({ type: "gap" });
    expect(await recorder.waitFor((c) => c.type === "gap", 10)).toEqual({ type: "gap" });
    const later = recorder.waitForOrg("o", 100);
    recorder.onChange({ type: "org", orgId: "o" });
    expect(await later).toEqual({ type: "org", orgId: "o" });
  });

  it("waitFor rejects after the timeout, listing what it received", async () => {
    const recorder = new ChangeRecorder();
    recorder.onChange({ type: "org", orgId: "other" });
    await expect(recorder.waitForOrg("o", 20)).rejects.toThrow(
      /no change of org o within 20 ms.*other/,
    );
  });
});
