import { emptyConditions, type Route, RoutingEngine } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import { demoConfig } from "../src/config/demo-config.js";
import type { ModelConfig } from "../src/config/types.js";
import { validateConfig } from "../src/config/validate-config.js";
import { DEFAULT_ANTHROPIC_MAX_TOKENS } from "../src/dialects/anthropic/request-from-openai.js";
import { assertFitsContextWindow } from "../src/pipeline/context-window.js";
import { Estimates } from "../src/pipeline/estimates.js";
import { decideRoute } from "../src/pipeline/route-stage.js";
import { validateBody } from "../src/pipeline/validate-body.js";
import { catalogModel } from "./helpers/catalog-model.js";
import { chat } from "./helpers/http.js";
import { refusal } from "./helpers/refusal.js";

// Issue 14.2: a route's max_cost_usd holds for every request it would match, so the cost
// estimate uses the output bound actually sent upstream (the translation's default max_tokens,
// n choices), and the 402 writes its amounts as plain decimals.

const route = (then: Route["then"], when: Partial<Route["when"]> = {}): Route => ({
  id: "00000000-0000-7000-8000-000000000001",
  name: "t1-budget",
  priority: 100,
  enabled: true,
  when: { ...emptyConditions(), ...when },
  then,
});
const decideOn = (
  models: ReadonlyMap<string, ModelConfig>,
  routes: Route[],
  body: Record<string, unknown>,
  api: "openai" | "anthropic" = "openai",
) =>
  decideRoute(models, {
    api,
    body,
    engine: new RoutingEngine(routes),
    tag: "t1",
    forcedName: undefined,
  });

describe("a request translated to Anthropic without max_tokens is estimated on what is sent", () => {
  const { raw } = demoConfig({});
  const { models } = validateConfig(raw, { source: "embedded default", env: {} });
  const toOpus = route(
    { target_model: "claude-opus-4-1", max_cost_usd: 0.1 },
    { tag_equals: "t1" },
  );

  it("the catalog knows which dialect each model's provider speaks", () => {
    expect(models.get("claude-opus-4-1")?.providerKind).toBe("anthropic");
    expect(models.get("gpt-4o")?.providerKind).toBe("openai");
  });

  it("an OpenAI request routed to opus with no max_tokens is priced on the translation's 4096: 402", () => {
    // 1000 output tokens on opus ($75/M) would be $0.075, under the ceiling; 4096 are $0.3072.
    const error = refusal(() => decideOn(models, [toOpus], chat("gpt-4o", "hi")));
    expect(error.status).toBe(402);
    expect(error.code).toBe("cost_limit_exceeded");
    expect(error.message).toMatch(/claude-opus-4-1/);
    expect(error.message).toMatch(/t1-budget/);
  });

  it("with max_tokens set, that bound decides, translated or not", () => {
    const within = decideOn(models, [toOpus], chat("gpt-4o", "hi", { max_tokens: 1000 }));
    expect(within.candidates).toEqual(["claude-opus-4-1"]);
    const estimates = new Estimates("openai", chat("gpt-4o", "hi"));
    const opus = models.get("claude-opus-4-1");
    const input = estimates.inputTokens();
    expect(estimates.costOn(opus)).toBeCloseTo(
      (input * 15 + DEFAULT_ANTHROPIC_MAX_TOKENS * 75) / 1e6,
      12,
    );
    // Not translated: the reference's 1000 for an unset limit.
    expect(estimates.costOn(models.get("gpt-4o"))).toBeCloseTo((input * 2.5 + 1000 * 10) / 1e6, 12);
    // An Anthropic client always sets max_tokens; an OpenAI target is priced on it.
    const anthropic = new Estimates("anthropic", chat("claude-opus-4-1", "hi", { max_tokens: 7 }));
    expect(anthropic.costOn(models.get("gpt-4o"))).toBeCloseTo(
      (anthropic.inputTokens() * 2.5 + 7 * 10) / 1e6,
      12,
    );
  });
});

describe("n choices multiply the output bound", () => {
  const models = new Map<string, ModelConfig>([["cheap", catalogModel("cheap")]]);
  const capped = route({ target_model: "cheap", max_cost_usd: 0.005 });

  it("n × max_tokens over the ceiling is a 402", () => {
    // 30 output tokens at $2/M are $0.00006; 128 × 30 are $0.00768.
    const body = chat("cheap", "hi", { n: 128, max_tokens: 30 });
    const error = refusal(() => decideOn(models, [capped], body));
    expect(error.status).toBe(402);
    expect(decideOn(models, [capped], { ...body, n: 1 }).candidates).toEqual(["cheap"]);
  });

  it("an Anthropic body has no n: its n is not read", () => {
    const body = chat("cheap", "hi", { n: 128, max_tokens: 30 });
    expect(decideOn(models, [capped], body, "anthropic").candidates).toEqual(["cheap"]);
  });

  it("n that is not an integer from 1 to 128 is a 400 naming n", () => {
    for (const n of [0, -1, 1.5, "2", 129, 1e9]) {
      const error = refusal(() => validateBody("openai", chat("cheap", "hi", { n })));
      expect(error.status, `n = ${n}`).toBe(400);
      expect(error.param).toBe("n");
      expect(error.message).toMatch(/`n`/);
    }
    expect(() => validateBody("openai", chat("cheap", "hi", { n: 128 }))).not.toThrow();
  });
});

describe("the 402 writes money as plain decimals", () => {
  it("a tiny ceiling and a tiny cost are not in exponent notation", () => {
    const models = new Map<string, ModelConfig>([
      ["tiny", catalogModel("tiny", { inputPricePerMillion: 0, outputPricePerMillion: 0.1 })],
    ]);
    // 3 output tokens at $0.1/M: $0.0000003 against a $0.0000001 ceiling.
    const body = chat("tiny", "hi", { max_tokens: 3 });
    const error = refusal(() =>
      decideOn(models, [route({ target_model: "tiny", max_cost_usd: 1e-7 })], body),
    );
    expect(error.status).toBe(402);
    expect(error.message).toContain("Estimated cost $0.0000003 on tiny");
    expect(error.message).toContain("the ceiling $0.0000001 of route");
    expect(error.message).not.toMatch(/e-/);
  });
});

describe("the context-window message without max_tokens", () => {
  it("names only the prompt when no output limit is set", () => {
    const models = new Map<string, ModelConfig>([
      ["small", catalogModel("small", { contextWindow: 5 })],
    ]);
    const body = chat("small", "word ".repeat(50));
    const estimates = new Estimates("openai", body);
    const error = refusal(() =>
      assertFitsContextWindow("openai", body, estimates, "small", models.get("small"), undefined),
    );
    expect(error.code).toBe("context_length_exceeded");
    const input = estimates.inputTokens();
    expect(error.message).toContain(
      `The prompt (${input} input tokens, estimated) needs ${input} tokens, more than the 5-token`,
    );
    expect(error.message).not.toMatch(/max_tokens 0/);
  });
});
