import type { RoutingEngine, RoutingRequest } from "@switchyard/core";
import type { ApiKind } from "./api-kind.js";
import type { JsonObject } from "./parse-json.js";

/**
 * The body as the routing engine reads it (an OpenAI chat body). An
 * Anthropic body differs only by its top-level `system`, which becomes a
 * leading system message so keyword routes see it.
 */
export function routingView(api: ApiKind, body: JsonObject): RoutingRequest {
  if (api === "openai" || body.system === undefined || body.system === null) return body;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return {
    model: body.model,
    messages: [{ role: "system", content: body.system }, ...messages],
    tools: body.tools,
    stream: body.stream,
  };
}

const needsEstimateCache = new WeakMap<RoutingEngine, boolean>();

/**
 * Whether any enabled route of the engine reads the token or cost estimate.
 * When none does, routing skips tokenizing (passing 0 tokens and no cost is
 * then equivalent). Computed once per compiled engine.
 */
export function engineNeedsEstimates(engine: RoutingEngine): boolean {
  let needs = needsEstimateCache.get(engine);
  if (needs === undefined) {
    needs = engine.routes.some(
      ({ enabled, when }) =>
        enabled &&
        (when.input_tokens_lt !== null ||
          when.input_tokens_gt !== null ||
          when.estimated_cost_gt !== undefined ||
          when.estimated_cost_lt !== undefined),
    );
    needsEstimateCache.set(engine, needs);
  }
  return needs;
}
