import type { ModelConfig } from "../config/types.js";
import type { ApiKind } from "../pipeline/api-kind.js";
import type { JsonObject } from "../pipeline/parse-json.js";
import { anthropicToOpenaiRequest } from "../translate/anthropic-to-openai-request.js";
import { openaiToAnthropicRequest } from "../translate/openai-to-anthropic-request.js";
import type { RuntimeProvider } from "./providers.js";

/** What the dispatch stage needs to know about the client's request. */
export interface RequestPlan {
  readonly clientApi: ApiKind;
  readonly body: JsonObject;
  /** The body exactly as received: forwarded untouched when nothing changes. */
  readonly raw: Buffer;
  readonly stream: boolean;
  readonly requestId: string;
  /** The client's `anthropic-version` / `anthropic-beta`, passed on to Anthropic providers. */
  readonly anthropicVersion: string | undefined;
  readonly anthropicBeta: string | undefined;
  /** The body translated for the other dialect, made once per request (lazily). */
  translated?: JsonObject;
}

/** One upstream request, ready to send. */
export interface Payload {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string;
  /** Whether the response must be translated back to the client's dialect. */
  readonly translated: boolean;
}

/**
 * The upstream request for one candidate. Same dialect and same model name:
 * the original bytes. Same dialect, other model: the body re-serialized with
 * the model replaced. Other dialect: translated (throws a 400 GatewayError
 * when the request uses something that cannot be translated).
 */
export function buildPayload(
  plan: RequestPlan,
  model: ModelConfig,
  provider: RuntimeProvider,
): Payload {
  const translated = provider.kind !== plan.clientApi;
  let body: Buffer | string;
  if (!translated) {
    body =
      plan.body.model === model.upstreamModel
        ? plan.raw
        : JSON.stringify({ ...plan.body, model: model.upstreamModel });
  } else {
    plan.translated ??=
      plan.clientApi === "openai"
        ? openaiToAnthropicRequest(plan.body)
        : anthropicToOpenaiRequest(plan.body);
    body = JSON.stringify({ model: model.upstreamModel, ...plan.translated });
  }
  return { path: provider.completionPath, headers: headersFor(plan, provider), body, translated };
}

function headersFor(plan: RequestPlan, provider: RuntimeProvider): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: plan.stream ? "text/event-stream" : "application/json",
    "x-request-id": plan.requestId,
  };
  if (provider.kind === "openai") {
    if (provider.apiKey !== undefined) headers.authorization = `Bearer ${provider.apiKey}`;
  } else {
    if (provider.apiKey !== undefined) headers["x-api-key"] = provider.apiKey;
    headers["anthropic-version"] =
      plan.clientApi === "anthropic" && plan.anthropicVersion
        ? plan.anthropicVersion
        : provider.anthropicVersion;
    if (plan.clientApi === "anthropic" && plan.anthropicBeta)
      headers["anthropic-beta"] = plan.anthropicBeta;
  }
  return headers;
}
