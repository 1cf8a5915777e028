import type { ModelConfig } from "../config/types.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";
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
  /** The body translated for another dialect, made once per dialect and request (lazily). */
  translated?: Partial<Record<ApiKind, JsonObject>>;
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
    plan.translated ??= {};
    let translation = plan.translated[provider.kind];
    if (translation === undefined) {
      translation = provider.dialect.requestFrom(plan.clientApi, plan.body);
      plan.translated[provider.kind] = translation;
    }
    body = JSON.stringify({ model: model.upstreamModel, ...translation });
  }
  return { path: provider.completionPath, headers: headersFor(plan, provider), body, translated };
}

function headersFor(plan: RequestPlan, provider: RuntimeProvider): Record<string, string> {
  return {
    "content-type": "application/json",
    accept: plan.stream ? "text/event-stream" : "application/json",
    "x-request-id": plan.requestId,
    ...provider.dialect.headers(provider, plan),
  };
}
