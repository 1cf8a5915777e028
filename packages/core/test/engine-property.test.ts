import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Route, type RouteConditions, RoutingEngine, uuidv7 } from "../src/index.js";
import { referenceEvaluate, referenceMatches, referenceNeeds } from "./reference-evaluator.js";

const models = fc.constantFrom("gpt-4o", "gpt-4o-mini", "claude", "GPT-4o");
const tags = fc.constantFrom("batch", "vip", "Batch", "");
const words = fc.constantFrom("refund", "REFUND", "straße", "İstanbul", "ab", "", "\n", "invoice");
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const bound = optional(fc.integer({ min: 0, max: 120 }));

const conditions: fc.Arbitrary<RouteConditions> = fc
  .record({
    model_in: fc.array(models, { maxLength: 2 }),
    lt: bound,
    gt: bound,
    tag: optional(tags),
    has_images: optional(fc.boolean()),
    has_audio: optional(fc.boolean()),
    prompt_contains_any_of: optional(fc.array(words, { maxLength: 3 })),
    estimated_cost_gt: optional(fc.constantFrom(0, 0.25, 0.5)),
    estimated_cost_lt: optional(fc.constantFrom(0.25, 0.5, 1)),
    stream: optional(fc.boolean()),
    has_tools: optional(fc.boolean()),
  })
  .map(({ lt, gt, tag, ...rest }) => {
    const when: RouteConditions = {
      model_in: rest.model_in,
      input_tokens_lt: lt ?? null,
      input_tokens_gt: gt ?? null,
      tag_equals: tag ?? null,
    };
    for (const key of [
      "has_images",
      "has_audio",
      "prompt_contains_any_of",
      "estimated_cost_gt",
      "estimated_cost_lt",
      "stream",
      "has_tools",
    ] as const) {
      if (rest[key] !== undefined) Object.assign(when, { [key]: rest[key] });
    }
    return when;
  });

const route: fc.Arbitrary<Route> = fc.record({
  id: fc.constant("").map(() => uuidv7()),
  name: fc.constantFrom("a", "b", "c"),
  priority: fc.constantFrom(0, 1, 5, 100, 4_294_967_295),
  enabled: fc.boolean(),
  when: conditions,
  then: fc.constant({ target_model: "t" }),
});

const part = fc.oneof(
  words.map((w) => ({ type: "text", text: `x ${w.toUpperCase()} y` })),
  fc.constant({ type: "image_url", image_url: { url: "u" } }),
  fc.constant({ type: "input_audio", input_audio: { data: "d", format: "wav" } }),
);
const message = fc.record({
  role: fc.constantFrom("user", "system", "assistant", "tool"),
  content: fc.oneof(
    words.map((w) => `Hi ${w}`),
    fc.array(part, { maxLength: 3 }),
    fc.constant(null),
  ),
});
const request = fc.record({
  model: models,
  messages: fc.array(message, { maxLength: 4 }),
  stream: optional(fc.boolean()),
  tools: optional(fc.array(fc.constant({ type: "function" }), { maxLength: 1 })),
});

/** Routes, request, tag, token estimate, cost estimate. */
const decisionInputs = [
  fc.array(route, { maxLength: 12 }),
  request,
  optional(tags),
  fc.integer({ min: 0, max: 130 }),
  optional(fc.constantFrom(0, 0.1, 0.25, 0.5, 0.75, 1, 2)),
] as const;

describe("property: the engine agrees with a naive reference evaluator", () => {
  it("on random route sets and requests (2,000 cases)", () => {
    fc.assert(
      fc.property(...decisionInputs, (routes, req, tag, tokens, cost) => {
        const engine = new RoutingEngine(routes);
        const expected = referenceEvaluate(routes, req, tag, tokens, cost);
        // The engine hands out frozen copies of the routes it was given: compare ids (unique).
        expect(engine.evaluate(req, { tag }, tokens, cost)?.id).toBe(expected?.id);
        const explained = engine.explain(req, { tag }, tokens, cost);
        expect(explained.route?.id).toBe(expected?.id);
        for (const verdict of explained.verdicts) {
          expect(verdict.matched).toBe(referenceMatches(verdict.route, req, tag, tokens, cost));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("with lazy estimates: same verdicts, each function called at most once and only when needed (2,000 cases)", () => {
    fc.assert(
      fc.property(...decisionInputs, (routes, req, tag, tokens, cost) => {
        const engine = new RoutingEngine(routes);
        const calls = { tokens: 0, cost: 0 };
        const lazyTokens = () => {
          calls.tokens += 1;
          return tokens;
        };
        const lazyCost = () => {
          calls.cost += 1;
          return cost;
        };
        expect(engine.evaluate(req, { tag }, lazyTokens, lazyCost)?.id).toBe(
          referenceEvaluate(routes, req, tag, tokens, cost)?.id,
        );
        const needs = referenceNeeds(routes, req, tag, tokens, cost);
        expect(calls).toEqual({ tokens: needs.tokens ? 1 : 0, cost: needs.cost ? 1 : 0 });

        calls.tokens = 0;
        calls.cost = 0;
        const lazy = engine.explain(req, { tag }, lazyTokens, lazyCost);
        expect(lazy).toEqual(engine.explain(req, { tag }, tokens, cost));
        expect(calls.tokens).toBeLessThanOrEqual(1);
        expect(calls.cost).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });

  it("with a token counter and an upper bound: same verdicts, the count only when the bound cannot decide (2,000 cases)", () => {
    fc.assert(
      fc.property(
        ...decisionInputs,
        fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 })),
        (routes, req, tag, tokens, cost, slack) => {
          const engine = new RoutingEngine(routes);
          const calls = { count: 0, bound: 0, boundAfterCount: false };
          const counter = {
            inputTokens: () => {
              calls.count += 1;
              return tokens;
            },
            inputTokensAtMost: () => {
              calls.bound += 1;
              if (calls.count > 0) calls.boundAfterCount = true;
              return tokens + slack;
            },
          };
          expect(engine.evaluate(req, { tag }, counter, cost)?.id).toBe(
            referenceEvaluate(routes, req, tag, tokens, cost)?.id,
          );
          const needs = referenceNeeds(routes, req, tag, tokens, cost);
          expect(calls.bound).toBe(needs.tokens ? 1 : 0);
          expect(calls.count).toBeLessThanOrEqual(calls.bound);
          expect(calls.boundAfterCount).toBe(false);

          calls.count = 0;
          calls.bound = 0;
          expect(engine.explain(req, { tag }, counter, cost)).toEqual(
            engine.explain(req, { tag }, tokens, cost),
          );
          expect(calls.count).toBeLessThanOrEqual(1);
          expect(calls.bound).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
