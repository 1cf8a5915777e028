import { describe, expect, it } from "vitest";
import { RoutingEngine } from "../src/index.js";
import { chat, route, userMessage } from "./fixtures.js";

const request = chat("gpt-4o", userMessage("hello"));

describe("evaluation order", () => {
  it("evaluates higher priority first, whatever the input order", () => {
    const low = route({ name: "low", priority: 1 });
    const high = route({ name: "high", priority: 500 });
    const engine = new RoutingEngine([low, high]);
    expect(engine.routes.map((r) => r.name)).toEqual(["high", "low"]);
    expect(engine.evaluate(request, {}, 10)?.name).toBe("high");
  });

  it("keeps the input order for equal priorities (stable sort)", () => {
    const routes = ["a", "b", "c", "d"].map((name) => route({ name, priority: 7 }));
    const engine = new RoutingEngine(routes);
    expect(engine.routes.map((r) => r.name)).toEqual(["a", "b", "c", "d"]);
    expect(engine.evaluate(request, {}, 10)?.name).toBe("a");
    const reversed = new RoutingEngine([...routes].reverse());
    expect(reversed.evaluate(request, {}, 10)?.name).toBe("d");
  });

  it("returns the first matching route, not a later better one", () => {
    const broad = route({ name: "broad", priority: 10 });
    const specific = route({ name: "specific", priority: 5, when: { model_in: ["gpt-4o"] } });
    expect(new RoutingEngine([specific, broad]).evaluate(request, {}, 10)?.name).toBe("broad");
  });

  it("merges model-specific and any-model routes in evaluation order", () => {
    const routes = [
      route({ name: "any-1", priority: 9, when: { input_tokens_gt: 1000 } }),
      route({ name: "model-1", priority: 8, when: { model_in: ["gpt-4o"], tag_equals: "x" } }),
      route({ name: "any-2", priority: 7 }),
      route({ name: "model-2", priority: 6, when: { model_in: ["gpt-4o"] } }),
    ];
    const engine = new RoutingEngine(routes);
    expect(engine.evaluate(request, {}, 10)?.name).toBe("any-2");
    expect(engine.evaluate(request, { tag: "x" }, 10)?.name).toBe("model-1");
  });

  it("returns undefined when nothing matches (dispatch unchanged)", () => {
    const engine = new RoutingEngine([route({ when: { model_in: ["other"] } })]);
    expect(engine.evaluate(request, {}, 10)).toBeUndefined();
    expect(new RoutingEngine([]).evaluate(request, {}, 10)).toBeUndefined();
  });

  it("does not reorder or mutate the caller's array", () => {
    const routes = [route({ name: "a", priority: 1 }), route({ name: "b", priority: 2 })];
    new RoutingEngine(routes);
    expect(routes.map((r) => r.name)).toEqual(["a", "b"]);
  });
});

describe("disabled routes", () => {
  it("never match, but stay in routes and in explain", () => {
    const off = route({ name: "off", priority: 10, enabled: false });
    const on = route({ name: "on", priority: 1 });
    const engine = new RoutingEngine([off, on]);
    expect(engine.evaluate(request, {}, 10)?.name).toBe("on");
    expect(engine.routes.map((r) => r.name)).toEqual(["off", "on"]);
    expect(engine.explain(request, {}, 10).verdicts[0]?.failedCondition).toBe("enabled");
  });

  it("a set of only disabled routes matches nothing", () => {
    const engine = new RoutingEngine([route({ enabled: false }), route({ enabled: false })]);
    expect(engine.evaluate(request, {}, 10)).toBeUndefined();
  });
});

describe("findByName", () => {
  it("finds the first enabled route with that exact name, conditions ignored", () => {
    const first = route({ name: "pin", priority: 5, when: { model_in: ["never"] } });
    const second = route({ name: "pin", priority: 1 });
    const engine = new RoutingEngine([second, first]);
    expect(engine.findByName("pin")).toEqual(first);
  });

  it("skips disabled routes", () => {
    const disabled = route({ name: "pin", priority: 5, enabled: false });
    const enabled = route({ name: "pin", priority: 1 });
    expect(new RoutingEngine([disabled, enabled]).findByName("pin")).toEqual(enabled);
    expect(new RoutingEngine([disabled]).findByName("pin")).toBeUndefined();
  });

  it("is exact and case-sensitive", () => {
    const engine = new RoutingEngine([route({ name: "Pin" })]);
    expect(engine.findByName("pin")).toBeUndefined();
    expect(engine.findByName("Pin ")).toBeUndefined();
    expect(engine.findByName("Pin")?.name).toBe("Pin");
  });
});

describe("very large route sets", () => {
  it("evaluate the same when the per-model index would be too large to build", () => {
    // 500 models x 501 any-model routes: past the index's memory guard, so routes are walked in order.
    const anyModel = Array.from({ length: 501 }, (_, i) =>
      route({ name: `any-${i}`, priority: 1_000 - i, when: { tag_equals: `t-${i}` } }),
    );
    const specific = Array.from({ length: 500 }, (_, i) =>
      route({ name: `model-${i}`, priority: 600 - i, when: { model_in: [`m-${i}`] } }),
    );
    const engine = new RoutingEngine([...specific, ...anyModel]);
    expect(engine.evaluate(chat("m-7"), {}, 1)?.name).toBe("model-7");
    expect(engine.evaluate(chat("m-7"), { tag: "t-3" }, 1)?.name).toBe("any-3");
    expect(engine.evaluate(chat("m-7"), { tag: "t-500" }, 1)?.name).toBe("model-7");
    expect(engine.evaluate(chat("m-600"), { tag: "t-500" }, 1)?.name).toBe("any-500");
    expect(engine.evaluate(chat("unknown"), {}, 1)).toBeUndefined();
  });
});
