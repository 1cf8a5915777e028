import { emptyConditions, type Route, RoutingEngine } from "@switchyard/core";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_DEMO_KEY, demoConfig } from "../src/config/demo-config.js";
import type { ModelConfig } from "../src/config/types.js";
import { validateConfig } from "../src/config/validate-config.js";
import { GatewayError } from "../src/errors/gateway-error.js";
import { type Gateway, startGateway } from "../src/gateway.js";
import { decideRoute, decideRouteCounted } from "../src/pipeline/route-stage.js";
import { catalogModel } from "./helpers/catalog-model.js";
import { bearer, call, chat } from "./helpers/http.js";
import { refusal } from "./helpers/refusal.js";
import { routeInput } from "./helpers/route-input.js";

// Issue 14.2: a route's max_cost_usd holds for every request it matches, and a request
// over the context window of the model it would be dispatched to is a 400, never a bypass.

describe("the demo's opus-budget route cannot be dodged", () => {
  let demo: Gateway;
  beforeAll(async () => {
    const { raw } = demoConfig({});
    const config = validateConfig(
      { ...raw, server: { port: 0 } },
      { source: "embedded default", env: {} },
    );
    demo = await startGateway(config, { logger: pino({ level: "silent" }) });
  });
  afterAll(() => demo?.close());
  beforeEach(() => demo.mock?.reset());

  const post = (path: string, body: unknown) =>
    call(`${demo.url}${path}`, "POST", body, bearer(DEFAULT_DEMO_KEY));
  const opus = (extra: Record<string, unknown>) => chat("claude-opus-4-1", "hi", extra);

  it("max_tokens above the context window: 400 naming the field and the numbers, nothing dispatched", async () => {
    const openai = await post("/v1/chat/completions", opus({ max_tokens: 1_000_000 }));
    expect(openai.status).toBe(400);
    expect(openai.json.error).toMatchObject({
      type: "invalid_request_error",
      code: "context_length_exceeded",
      param: "max_tokens",
    });
    expect(openai.json.error.message).toMatch(/max_tokens/);
    expect(openai.json.error.message).toMatch(/1000000/);
    expect(openai.json.error.message).toMatch(/200000/);
    expect(openai.json.error.message).toMatch(/claude-opus-4-1/);
    expect(openai.json.error.message).toMatch(/lower max_tokens/);

    const completion = await post(
      "/v1/chat/completions",
      opus({ max_completion_tokens: 1_000_000 }),
    );
    expect(completion.status).toBe(400);
    expect(completion.json.error.param).toBe("max_completion_tokens");

    const anthropic = await post("/v1/messages", opus({ max_tokens: 1_000_000 }));
    expect(anthropic.status).toBe(400);
    expect(anthropic.json).toMatchObject({
      type: "error",
      error: {
        type: "invalid_request_error",
        code: "context_length_exceeded",
        param: "max_tokens",
      },
    });
    expect(anthropic.json.error.message).toMatch(/200000/);
    expect(demo.mock?.count()).toBe(0);
  });

  it("a route skipped for a missing capability still has its ceiling applied", async () => {
    // claude-opus-4-1 has no json_mode: an Anthropic request naming `response_format` skips the
    // route, goes to the requested model (the same opus), and 10,000 output tokens there cost
    // $0.75 against the $0.05 ceiling.
    const json = { response_format: { type: "json_object" } };
    const over = await post("/v1/messages", opus({ max_tokens: 10_000, ...json }));
    expect(over.status).toBe(402);
    expect(over.json.error.type).toBe("billing_error");
    expect(over.json.error.message).toMatch(/opus-budget/);
    expect(demo.mock?.count()).toBe(0);

    const under = await post("/v1/messages", opus({ max_tokens: 50, ...json }));
    expect(under.status).toBe(200);
    expect(under.headers.get("x-switchyard-route")).toBeNull();
    expect(demo.mock?.count()).toBe(1);
  });

  it("within the window and the ceiling the route applies as before", async () => {
    const reply = await post("/v1/messages", opus({ max_tokens: 100 }));
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-switchyard-route")).toBe("opus-budget");
  });
});

const model = (name: string, extra: Partial<ModelConfig> = {}): ModelConfig =>
  catalogModel(name, {
    capabilities: { vision: true, tools: true, json_mode: true },
    contextWindow: 100_000,
    ...extra,
  });
const models = new Map<string, ModelConfig>([
  ["small", model("small", { contextWindow: 1_000 })],
  ["big", model("big", { contextWindow: 200_000 })],
  ["blind", model("blind", { capabilities: { vision: false } })],
  ["pricey", model("pricey", { outputPricePerMillion: 1_000 })],
  ["cheap", model("cheap")],
]);
const route = (then: Route["then"], when: Partial<Route["when"]> = {}): Route => ({
  id: "00000000-0000-7000-8000-000000000001",
  name: "r",
  priority: 100,
  enabled: true,
  when: { ...emptyConditions(), ...when },
  then,
});
const decide = (routes: Route[], body: Record<string, unknown>, forcedName?: string) =>
  decideRoute(models, {
    api: "openai",
    body,
    engine: new RoutingEngine(routes),
    tag: undefined,
    forcedName,
  });
/** For prompts too long to count synchronously (issue 14.1): counted off the event loop first. */
const decideCounted = async (routes: Route[], body: Record<string, unknown>) =>
  decideRouteCounted(models, routeInput(routes, body));
const refusalOf = (decision: Promise<unknown>): Promise<GatewayError> =>
  decision.then(
    () => {
      throw new Error("expected a GatewayError");
    },
    (error: unknown) => {
      if (error instanceof GatewayError) return error;
      throw error;
    },
  );
const image = {
  role: "user",
  content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }],
};

describe("route stage: the context window of the model the request is dispatched to", () => {
  const long = chat("small", "word ".repeat(2_000), { max_tokens: 10 });

  it("a route to a larger window serves a prompt the requested model could not hold", () => {
    const decision = decide([route({ target_model: "big" })], long);
    expect(decision.route?.name).toBe("r");
    expect(decision.candidates).toEqual(["big"]);
  });

  it("a route to a smaller window is a 400 naming the target and the route, not a bypass", async () => {
    const error = await refusalOf(
      decideCounted([route({ target_model: "small" })], { ...long, model: "big" }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe("context_length_exceeded");
    expect(error.param).toBe("messages");
    expect(error.message).toMatch(/small/);
    expect(error.message).toMatch(/route "r"/);
    expect(error.message).toMatch(/1000-token context window/);
  });

  it("an unrouted request is checked against the requested model", async () => {
    expect((await refusalOf(decideCounted([], long))).code).toBe("context_length_exceeded");
    expect(decide([], { ...long, model: "big" }).candidates).toEqual(["big"]);
  });

  it("a route skipped for a capability checks the requested model's window", async () => {
    const body = { ...long, messages: [...long.messages, image] };
    const error = await refusalOf(decideCounted([route({ target_model: "blind" })], body));
    expect(error.status).toBe(400);
    const fits = decide([route({ target_model: "blind" })], { ...body, model: "big" });
    expect(fits.route).toBeUndefined();
    expect(fits.bypass).toMatch(/blind lacks vision/);
    expect(fits.candidates).toEqual(["big"]);
  });

  it("a fallback whose window is too small is dropped", async () => {
    const decision = await decideCounted(
      [route({ target_model: "big", fallbacks: ["small", "cheap"] })],
      long,
    );
    expect(decision.candidates).toEqual(["big", "cheap"]);
  });
});

describe("route stage: max_cost_usd holds for every request the route matches", () => {
  const body = chat("pricey", "hi", { max_tokens: 1_000 }); // $1 on pricey, $0.002 on cheap

  it("a route skipped for a capability applies its ceiling on the model dispatched", () => {
    const withImage = { ...body, messages: [image] };
    const capped = route({ target_model: "blind", max_cost_usd: 0.01 });
    const error = refusal(() => decide([capped], withImage));
    expect(error.status).toBe(402);
    expect(error.message).toMatch(/pricey/);
    expect(error.message).toMatch(/blind lacks vision/);
    const cheap = decide([capped], { ...withImage, model: "cheap" });
    expect(cheap.route).toBeUndefined();
    expect(cheap.candidates).toEqual(["cheap"]);
  });

  it("a forced route skipped for a capability applies its ceiling too", () => {
    const capped = route({ target_model: "blind", max_cost_usd: 0.01 }, { model_in: ["none"] });
    const withImage = { ...body, messages: [image] };
    expect(refusal(() => decide([capped], withImage, "r")).status).toBe(402);
  });

  it("fallbacks over the ceiling are dropped; the target decides the 402", () => {
    const capped = route({
      target_model: "cheap",
      fallbacks: ["pricey", "big"],
      max_cost_usd: 0.01,
    });
    expect(decide([capped], body).candidates).toEqual(["cheap", "big"]);
    const over = route({ target_model: "pricey", fallbacks: ["cheap"], max_cost_usd: 0.01 });
    expect(refusal(() => decide([over], body)).status).toBe(402);
  });
});
