// The page's pure logic (no DOM): routes in words, money and numbers, and
// splitting a validation message into field issues.
import { describe, expect, it } from "vitest";
import { describeAction, describeConditions, describeRoute } from "../src/web/describe-route.js";
import { formatMoney, formatPercent, formatTokens, formatUsd } from "../src/web/format.js";
import { fieldOf, routeIssues } from "../src/web/validation.js";

const none = { model_in: [], input_tokens_lt: null, input_tokens_gt: null, tag_equals: null };

describe("routes in words", () => {
  it("reads like the issue's example", () => {
    expect(
      describeRoute({
        when: { ...none, model_in: ["gpt-4o"], input_tokens_lt: 500 },
        then: { target_model: "gpt-4o-mini", fallbacks: ["claude-haiku"], max_cost_usd: 0.1 },
      }),
    ).toBe(
      "model is gpt-4o AND fewer than 500 input tokens -> gpt-4o-mini, fallbacks claude-haiku, cost ceiling $0.10",
    );
  });

  it("names every condition", () => {
    expect(describeConditions(none)).toBe("every request");
    expect(
      describeConditions({
        model_in: ["a", "b", "c"],
        input_tokens_lt: 10_000,
        input_tokens_gt: 2000,
        tag_equals: "batch",
        has_images: true,
        has_audio: false,
        prompt_contains_any_of: ["bug", "stack trace"],
        estimated_cost_gt: 0.005,
        estimated_cost_lt: 1.5,
        stream: false,
        has_tools: true,
      }),
    ).toBe(
      'model is a, b or c AND fewer than 10,000 input tokens AND more than 2,000 input tokens AND tag is "batch" AND has images AND no audio AND prompt mentions "bug" or "stack trace" AND estimated cost above $0.005 AND estimated cost below $1.50 AND not streamed AND declares tools',
    );
    expect(describeAction({ target_model: "x", disable_cache: true })).toBe("x, no response cache");
  });
});

describe("formatting", () => {
  it("formats prices and totals", () => {
    expect(formatUsd(0.1)).toBe("$0.10");
    expect(formatUsd(0.01002)).toBe("$0.01002");
    expect(formatUsd(12.5)).toBe("$12.50");
    expect(formatMoney(0.644205)).toBe("$0.644");
    expect(formatMoney(1234.5)).toBe("$1,234.50");
    expect(formatMoney(0.0031234)).toBe("$0.0031");
    expect(formatMoney(-0.5)).toBe("-$0.500");
    expect(formatMoney(0)).toBe("$0.00");
    expect(formatPercent(null)).toBe("–");
    expect(formatPercent(0.3012)).toBe("30.1%");
    expect(formatTokens(161_700)).toBe("161.7k");
  });
});

describe("validation messages to fields", () => {
  it("splits the gateway's invalid_route message into issues with paths", () => {
    const message =
      'Invalid route: then.target_model: unknown model `gpt-5`; GET /v1/models lists the catalog; then.fallbacks[1]: repeats "a"; list each fallback once';
    expect(routeIssues(message, "then.target_model")).toEqual([
      {
        path: "then.target_model",
        message: "unknown model `gpt-5`; GET /v1/models lists the catalog",
      },
      { path: "then.fallbacks[1]", message: 'repeats "a"; list each fallback once' },
    ]);
    expect(fieldOf("then.fallbacks[1]")).toBe("then.fallbacks");
  });

  it("splits an unknown-field message (writes are strict) into one issue per key", () => {
    const message =
      "Invalid route: when.modle_in: is not a known condition (did you mean model_in?); known conditions: model_in, input_tokens_lt, has_tools; then.fallback: is not a known action field (did you mean fallbacks?); known action fields: target_model, fallbacks";
    expect(routeIssues(message, "when.modle_in")).toEqual([
      {
        path: "when.modle_in",
        message:
          "is not a known condition (did you mean model_in?); known conditions: model_in, input_tokens_lt, has_tools",
      },
      {
        path: "then.fallback",
        message:
          "is not a known action field (did you mean fallbacks?); known action fields: target_model, fallbacks",
      },
    ]);
    // No form field has these paths: they go to the form's own error line.
    expect(fieldOf("when.modle_in")).toBe("when.modle_in");
  });

  it("always reports the param, even when the message cannot be split", () => {
    expect(routeIssues("Invalid route: (body): must be a route object, got a string", "")).toEqual([
      { path: "", message: "must be a route object, got a string" },
    ]);
    expect(routeIssues("something else", "priority")).toEqual([
      { path: "priority", message: "something else" },
    ]);
  });
});
