import { describe, expect, it } from "vitest";
import { RoutingEngine } from "../src/index.js";
import { chat, imagePart, route, userMessage } from "./fixtures.js";

/** An estimate function that counts its calls. */
function counted<T>(value: T) {
  let calls = 0;
  const fn = () => {
    calls += 1;
    return value;
  };
  return { fn, calls: () => calls };
}

const hello = chat("gpt-4o", userMessage("hello there"));

describe("lazy token and cost estimates in evaluate", () => {
  it("never calls them when every route with an estimate condition fails another condition", () => {
    const engine = new RoutingEngine([
      route({ name: "tagged", when: { input_tokens_lt: 500, tag_equals: "batch" } }),
      route({ name: "topic", when: { input_tokens_gt: 10, prompt_contains_any_of: ["refund"] } }),
      route({ name: "images", when: { estimated_cost_lt: 1, has_images: true } }),
      route({ name: "streamed", when: { estimated_cost_gt: 0, stream: true } }),
      route({ name: "other-model", when: { model_in: ["claude"], input_tokens_lt: 500 } }),
      route({ name: "disabled", enabled: false, when: { input_tokens_lt: 500 } }),
    ]);
    const tokens = counted(100);
    const cost = counted(0.5);
    expect(engine.evaluate(hello, { tag: "vip" }, tokens.fn, cost.fn)).toBeUndefined();
    expect(tokens.calls()).toBe(0);
    expect(cost.calls()).toBe(0);
  });

  it("never calls them when a route without estimate conditions matches first", () => {
    const engine = new RoutingEngine([
      route({ name: "plain", priority: 10, when: { tag_equals: "vip" } }),
      route({ name: "short", priority: 1, when: { input_tokens_lt: 500, estimated_cost_lt: 1 } }),
    ]);
    const tokens = counted(100);
    const cost = counted(0.5);
    expect(engine.evaluate(hello, { tag: "vip" }, tokens.fn, cost.fn)?.name).toBe("plain");
    expect(tokens.calls()).toBe(0);
    expect(cost.calls()).toBe(0);
  });

  it("calls each at most once however many routes need it", () => {
    const routes = Array.from({ length: 30 }, (_, i) =>
      route({ name: `r${i}`, when: { input_tokens_gt: 1000 + i, estimated_cost_gt: 5 } }),
    );
    routes.push(route({ name: "cheap", when: { input_tokens_lt: 500, estimated_cost_lt: 1 } }));
    const engine = new RoutingEngine(routes);
    const tokens = counted(100);
    const cost = counted(0.5);
    expect(engine.evaluate(hello, {}, tokens.fn, cost.fn)?.name).toBe("cheap");
    expect(tokens.calls()).toBe(1);
    expect(cost.calls()).toBe(1);
  });

  it("does not call the cost function for a route whose token bound already failed", () => {
    const engine = new RoutingEngine([
      route({ when: { input_tokens_gt: 1000, estimated_cost_gt: 0.01 } }),
    ]);
    const tokens = counted(100);
    const cost = counted(0.5);
    expect(engine.evaluate(hello, {}, tokens.fn, cost.fn)).toBeUndefined();
    expect(tokens.calls()).toBe(1);
    expect(cost.calls()).toBe(0);
  });

  it("decides with the functions' values exactly as with the numbers", () => {
    const engine = new RoutingEngine([
      route({ name: "long", priority: 3, when: { input_tokens_gt: 1000 } }),
      route({ name: "pricey", priority: 2, when: { estimated_cost_gt: 0.1 } }),
      route({ name: "rest", priority: 1 }),
    ]);
    for (const [tokens, cost] of [
      [2000, 0.01],
      [10, 0.2],
      [10, undefined],
      [10, null],
      [10, Number.NaN],
      [1000, 0.1],
    ] as const) {
      expect(
        engine.evaluate(
          hello,
          {},
          () => tokens,
          () => cost,
        ),
      ).toBe(engine.evaluate(hello, {}, tokens, cost));
    }
  });

  it("calls the functions of each evaluation afresh, never reusing the previous request's values", () => {
    const engine = new RoutingEngine([route({ name: "short", when: { input_tokens_lt: 500 } })]);
    expect(engine.evaluate(hello, {}, () => 100)?.name).toBe("short");
    expect(engine.evaluate(hello, {}, () => 900)).toBeUndefined();
    expect(engine.evaluate(hello, {}, () => 100)?.name).toBe("short");
  });
});

describe("lazy estimates in explain", () => {
  const routes = [
    route({ name: "disabled", priority: 90, enabled: false, when: { input_tokens_lt: 5 } }),
    route({
      name: "other-model",
      priority: 80,
      when: { model_in: ["claude"], input_tokens_lt: 5 },
    }),
    route({ name: "tag-and-tokens", priority: 70, when: { input_tokens_lt: 50, tag_equals: "x" } }),
    route({
      name: "images-and-cost",
      priority: 60,
      when: { has_images: true, estimated_cost_lt: 1 },
    }),
    route({ name: "stream-and-cost", priority: 50, when: { estimated_cost_gt: 2, stream: true } }),
    route({ name: "rest", priority: 10 }),
  ];
  const engine = new RoutingEngine(routes);
  const verdicts = (tokens: number | (() => number), cost?: number | (() => number)) =>
    engine
      .explain(hello, { tag: "vip" }, tokens, cost)
      .verdicts.map((v) => [v.route.name, v.matched, v.failedCondition, v.reason]);

  it("reports the first failing condition in condition order, the token bound before the tag", () => {
    const tokens = counted(120);
    const cost = counted(1.5);
    const lazy = verdicts(tokens.fn, cost.fn);
    expect(lazy).toEqual(verdicts(120, 1.5));
    expect(lazy[2]).toEqual([
      "tag-and-tokens",
      false,
      "input_tokens_lt",
      "input tokens 120 are not < 50",
    ]);
    expect(lazy[4]).toEqual([
      "stream-and-cost",
      false,
      "estimated_cost_gt",
      "estimated cost $1.5 is not > $2",
    ]);
    expect(tokens.calls()).toBe(1);
    expect(cost.calls()).toBe(1);
  });

  it("writes the estimated cost at a fixed precision, without floating point noise (issue 14.11)", () => {
    expect(verdicts(120, 0.1 + 0.2)[4]?.[3]).toBe("estimated cost $0.3 is not > $2");
    expect(verdicts(120, 0.000012599999999999998)[4]?.[3]).toBe(
      "estimated cost $0.0000126 is not > $2",
    );
  });

  it("does not call the functions for disabled routes or routes of other models", () => {
    const only = new RoutingEngine(routes.slice(0, 2).concat(routes[5] ?? []));
    const tokens = counted(1);
    expect(only.explain(hello, {}, tokens.fn).route?.name).toBe("rest");
    expect(tokens.calls()).toBe(0);
  });

  it("picks the same route as evaluate with the same functions", () => {
    const withImage = chat("gpt-4o", userMessage([imagePart]));
    for (const [req, tag, tokens, cost] of [
      [hello, "x", 10, undefined],
      [withImage, undefined, 10, 0.5],
      [withImage, "x", 100, 3],
    ] as const) {
      expect(
        engine.explain(
          req,
          { tag },
          () => tokens,
          () => cost,
        ).route,
      ).toBe(
        engine.evaluate(
          req,
          { tag },
          () => tokens,
          () => cost,
        ),
      );
    }
  });
});

describe("a token counter's upper bound decides token bounds without the count", () => {
  function counter(tokens: number, atMost: number) {
    const calls = { count: 0, bound: 0 };
    return {
      calls,
      counter: {
        inputTokens: () => {
          calls.count += 1;
          return tokens;
        },
        inputTokensAtMost: () => {
          calls.bound += 1;
          return atMost;
        },
      },
    };
  }

  const cases = [
    {
      name: "input_tokens_lt holds when the bound is below it: no count",
      when: [{ input_tokens_lt: 500 }],
      atMost: 499,
      picks: "r0",
      count: 0,
    },
    {
      name: "input_tokens_gt fails when the bound is not above it: no count",
      when: [{ input_tokens_gt: 500 }, { input_tokens_gt: 200 }],
      atMost: 200,
      picks: undefined,
      count: 0,
    },
    {
      name: "the count (once) decides when the bound cannot",
      when: [{ input_tokens_lt: 100 }, { input_tokens_gt: 110 }],
      atMost: 400,
      picks: "r1",
      count: 1,
    },
  ];
  it.each(cases)("$name", ({ when, atMost, picks, count }) => {
    const engine = new RoutingEngine(when.map((w, i) => route({ name: `r${i}`, when: w })));
    const { counter: c, calls } = counter(120, atMost);
    expect(engine.evaluate(hello, {}, c)?.name).toBe(picks);
    expect(calls).toEqual({ count, bound: 1 });
  });

  it("explain still shows the exact count in a token bound's reason", () => {
    const engine = new RoutingEngine([route({ name: "long", when: { input_tokens_gt: 500 } })]);
    const { counter: c } = counter(120, 300);
    const [verdict] = engine.explain(hello, {}, c).verdicts;
    expect(verdict?.reason).toBe("input tokens 120 are not > 500");
  });
});
