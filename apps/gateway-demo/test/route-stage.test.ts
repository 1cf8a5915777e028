import { emptyConditions, type Route, type RouteConditions, RoutingEngine } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import { LONG_PROMPT_CHARS } from "../src/pipeline/long-prompt.js";
import { decideRoute, decideRouteCounted } from "../src/pipeline/route-stage.js";
import { estimateInputTokens } from "../src/pipeline/token-estimate.js";
import { catalogModel } from "./helpers/catalog-model.js";
import { routeInput } from "./helpers/route-input.js";

const model = catalogModel;
const models = new Map([
  ["gpt-a", model("gpt-a")],
  ["gpt-b", model("gpt-b")],
]);

let seq = 0;
const route = (name: string, when: Partial<RouteConditions>): Route => ({
  id: `00000000-0000-7000-8000-${String(++seq).padStart(12, "0")}`,
  name,
  priority: 100,
  enabled: true,
  when: { ...emptyConditions(), ...when },
  then: { target_model: "gpt-b" },
});

const body = {
  model: "gpt-a",
  max_tokens: 10,
  messages: [{ role: "user", content: "please summarize this short note" }],
};

function decide(routes: Route[], tag?: string) {
  return decideRoute(models, {
    api: "openai",
    body,
    engine: new RoutingEngine(routes),
    tag,
    forcedName: undefined,
  });
}

describe("route stage: estimates only when a route reaches a token or cost bound", () => {
  // 20: above the prompt's count (12) but below its byte bound (38), so only the count decides.
  const routes = [
    route("batch-short", { input_tokens_lt: 20, tag_equals: "batch" }),
    route("legal-cheap", { estimated_cost_lt: 1, prompt_contains_any_of: ["legal"] }),
  ];

  it("does not tokenize or price when every such route fails a cheaper condition", () => {
    const decision = decide(routes, "interactive");
    expect(decision.route).toBeUndefined();
    expect(decision.estimates.known).toBeUndefined();
    expect(decision.requestedCostUsd).toBeUndefined();
  });

  it("tokenizes when a route's other conditions hold, and routes on the real count", () => {
    const decision = decide(routes, "batch");
    expect(decision.route?.name).toBe("batch-short");
    expect(decision.estimates.known).toBe(estimateInputTokens("openai", body));
    expect(decision.candidates).toEqual(["gpt-b"]);
  });

  it("prices on the requested model when a cost bound is reached", () => {
    const decision = decide([route("cheap", { estimated_cost_lt: 1 })]);
    const tokens = estimateInputTokens("openai", body);
    expect(decision.route?.name).toBe("cheap");
    expect(decision.requestedCostUsd).toBeCloseTo((tokens * 1 + 10 * 2) / 1e6, 12);
  });
});

describe("route stage: the token upper bound spares the tokenizer", () => {
  it("an input_tokens_lt route far above the prompt's bytes matches without tokenizing", () => {
    const decision = decide([route("short", { input_tokens_lt: 1000 })]);
    expect(decision.route?.name).toBe("short");
    expect(decision.estimates.known).toBeUndefined();
  });

  it("an input_tokens_gt route the prompt's bytes cannot reach fails without tokenizing", () => {
    const decision = decide([route("long", { input_tokens_gt: 1000 })]);
    expect(decision.route).toBeUndefined();
    expect(decision.estimates.known).toBeUndefined();
  });

  it("a bound between the count and the bytes is decided on the count", () => {
    const tokens = estimateInputTokens("openai", body);
    const decision = decide([route("near", { input_tokens_lt: tokens + 1 })]);
    expect(decision.route?.name).toBe("near");
    expect(decision.estimates.known).toBe(tokens);
  });

  it("the context-window guard and the cost ceiling check the bound first", () => {
    const roomy = new Map([...models, ["gpt-b", model("gpt-b", { contextWindow: 128_000 })]]);
    const capped: Route = {
      ...route("capped", {}),
      then: { target_model: "gpt-b", max_cost_usd: 1 },
    };
    const input = { api: "openai" as const, body, tag: undefined, forcedName: undefined };
    const decision = decideRoute(roomy, { ...input, engine: new RoutingEngine([capped]) });
    expect(decision.route?.name).toBe("capped");
    expect(decision.estimates.known).toBeUndefined();

    const tokens = estimateInputTokens("openai", body);
    const tight = new Map([
      ...models,
      ["gpt-b", model("gpt-b", { contextWindow: tokens + body.max_tokens })],
    ]);
    const exact = decideRoute(tight, { ...input, engine: new RoutingEngine([capped]) });
    expect(exact.route?.name).toBe("capped");
    expect(exact.estimates.known).toBe(tokens);
    const over = new Map([
      ...models,
      ["gpt-b", model("gpt-b", { contextWindow: tokens + body.max_tokens - 1 })],
    ]);
    expect(() => decideRoute(over, { ...input, engine: new RoutingEngine([capped]) })).toThrow(
      /context window/,
    );
  });
});

describe("route stage: prompts too long to count synchronously (issue 14.1)", () => {
  const long = (chars: number) => ({
    model: "gpt-a",
    max_tokens: 10,
    messages: [{ role: "user", content: "lorem ipsum ".repeat(Math.ceil(chars / 12)) }],
  });
  const counting = [route("long", { input_tokens_gt: 1_000 })];
  const routeIt = (routes: Route[], body: Record<string, unknown>) =>
    decideRouteCounted(models, routeInput(routes, body));

  it("counts a deferred prompt off the event loop and routes on the count", async () => {
    const body = long(20_000);
    const decided = routeIt(counting, body);
    expect(decided).toBeInstanceOf(Promise);
    const decision = await decided;
    expect(decision.route?.name).toBe("long");
    expect(decision.estimates.known).toBe(estimateInputTokens("openai", body));
  });

  it("decides a short prompt synchronously, as decideRoute does", () => {
    const decided = routeIt(counting, body);
    expect(decided).not.toBeInstanceOf(Promise);
  });

  it("routes a prompt of LONG_PROMPT_CHARS or more on later turns than the one that parsed it", async () => {
    const order: string[] = [];
    const engine = new RoutingEngine([route("other", { tag_equals: "never" })]);
    const evaluate = engine.evaluate.bind(engine);
    engine.evaluate = (...args) => {
      order.push("evaluate");
      return evaluate(...args);
    };
    setImmediate(() => order.push("other work"));
    const decision = await decideRouteCounted(models, {
      ...routeInput([], long(LONG_PROMPT_CHARS)),
      engine,
    });
    expect(decision.route).toBeUndefined();
    expect(order).toEqual(["other work", "evaluate"]);
  });

  it("searches a long prompt for the routes' keywords in steps, turns apart, and evaluates on the answers", async () => {
    const engine = new RoutingEngine([
      route("code", { prompt_contains_any_of: ["python", "sql"] }),
      route("long", { input_tokens_gt: 1_000 }),
    ]);
    const order: string[] = [];
    const prepare = engine.preparePrompt.bind(engine);
    engine.preparePrompt = (request) => {
      const prompt = prepare(request);
      const advance = prompt.advance.bind(prompt);
      prompt.advance = (work) => {
        if (!prompt.done) order.push("step");
        return advance(work);
      };
      return prompt;
    };
    let ticking = true;
    const tick = () => {
      order.push("tick");
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const body = long(2 * 1024 * 1024);
    (body.messages[0] as { content: string }).content += " and some SQL";
    const decision = await decideRouteCounted(models, { ...routeInput([], body), engine });
    ticking = false;
    expect(decision.route?.name).toBe("code");
    const steps = order.filter((o) => o === "step").length;
    expect(steps).toBeGreaterThan(4);
    // Never two steps in one turn.
    expect(order.join(" ")).not.toMatch(/step step/);
  });
});
