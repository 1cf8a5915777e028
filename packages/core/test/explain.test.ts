import { describe, expect, it } from "vitest";
import { RoutingEngine } from "../src/index.js";
import { chat, imagePart, route, userMessage } from "./fixtures.js";

describe("explain", () => {
  const routes = [
    route({ name: "disabled", priority: 90, enabled: false }),
    route({ name: "other-model", priority: 80, when: { model_in: ["claude"] } }),
    route({ name: "short-only", priority: 70, when: { input_tokens_lt: 50, tag_equals: "x" } }),
    route({ name: "tagged", priority: 60, when: { tag_equals: "vip" } }),
    route({ name: "images", priority: 50, when: { has_images: true } }),
    route({ name: "cheap", priority: 40, when: { estimated_cost_lt: 0.01 } }),
    route({ name: "fallthrough", priority: 30 }),
    route({ name: "after", priority: 20 }),
  ];
  const engine = new RoutingEngine(routes);
  const request = chat("gpt-4o", userMessage("hello"));

  it("gives every route in evaluation order its own verdict and first failing condition", () => {
    const result = engine.explain(request, {}, 120);
    expect(result.verdicts.map((v) => [v.route.name, v.matched, v.failedCondition])).toEqual([
      ["disabled", false, "enabled"],
      ["other-model", false, "model_in"],
      ["short-only", false, "input_tokens_lt"],
      ["tagged", false, "tag_equals"],
      ["images", false, "has_images"],
      ["cheap", false, "estimated_cost_lt"],
      ["fallthrough", true, undefined],
      ["after", true, undefined],
    ]);
    expect(result.route?.name).toBe("fallthrough");
  });

  it("says why in words", () => {
    const reasons = engine.explain(request, { tag: "basic" }, 120).verdicts.map((v) => v.reason);
    expect(reasons.slice(0, 6)).toEqual([
      "route is disabled",
      'model "gpt-4o" is not one of ["claude"]',
      "input tokens 120 are not < 50",
      'tag "basic" is not "vip"',
      "request has no image parts",
      "cost estimate is unknown (no pricing for the requested model)",
    ]);
    expect(reasons[6]).toBe("all conditions hold");
  });

  it("picks the same route as evaluate", () => {
    const withImage = chat("gpt-4o", userMessage([imagePart]));
    for (const [req, tag, tokens, cost] of [
      [request, "vip", 10, undefined],
      [withImage, undefined, 10, 1],
      [request, undefined, 10, 0.001],
    ] as const) {
      expect(engine.explain(req, { tag }, tokens, cost).route).toBe(
        engine.evaluate(req, { tag }, tokens, cost),
      );
    }
  });
});
