import type { RoutingRequest } from "@switchyard/core";
import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";

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
