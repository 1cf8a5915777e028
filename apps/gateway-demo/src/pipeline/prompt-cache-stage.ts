import type { PreparedRequest } from "@switchyard/prefix-index";
import type { PromptCacheService } from "../prompt-cache/prompt-cache-service.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";
import type { PromptAccounting } from "./answer-stage.js";
import type { ClientCompletion } from "./read-stage.js";

const CACHE_CONTROL = Buffer.from('"cache_control"');
const UNICODE_ESCAPE = Buffer.from("\\u");

/**
 * Prompt-cache prepare, for models with a cache tariff: cache markers
 * validated (400) and stripped, the body split into blocks. `undefined`
 * for other models (nothing to account).
 */
export function preparePromptCache(
  service: PromptCacheService,
  request: ClientCompletion,
): PreparedRequest<JsonObject> | undefined {
  if (!service.accounts(request.model)) return undefined;
  return service.prepare(request.api, request.body, mayHaveMarkers(request.raw));
}

/** Starts the classification of a prepared request; it runs alongside the upstream call. */
export function startAccounting(
  service: PromptCacheService,
  prepared: PreparedRequest<JsonObject> | undefined,
  orgId: string,
  model: string,
): PromptAccounting | undefined {
  if (prepared === undefined) return undefined;
  return { service, classification: service.classify(prepared, orgId, model) };
}

/** A failed request commits nothing; the package counts it (`skipped-failed-response`). */
export function skipCommit(accounting: PromptAccounting, error: unknown): void {
  const status = (error as { status?: unknown }).status;
  void accounting.classification.then((classification) =>
    accounting.service.commit(classification, {
      status: typeof status === "number" ? status : 502,
      usageSeen: false,
    }),
  );
}

/**
 * Whether the raw body may contain a `cache_control` key: it names it, or it
 * has `\u` escapes (a key could be spelled with them). Otherwise the
 * prompt-cache stage skips parsing the body into blocks.
 */
function mayHaveMarkers(raw: Buffer): boolean {
  return raw.indexOf(CACHE_CONTROL) !== -1 || raw.indexOf(UNICODE_ESCAPE) !== -1;
}

/**
 * Whether the prepared body differs from what the client sent, so the raw
 * bytes cannot be forwarded: markers were stripped, or an OpenAI stream got
 * `stream_options.include_usage` forced on.
 */
export function forwardChanged(api: ApiKind, body: JsonObject, prepared: PreparedRequest): boolean {
  if (body.cache_control !== undefined) return true;
  if (prepared.blocks.some((block) => block.hasMarker)) return true;
  if (api !== "openai" || body.stream !== true) return false;
  const options = body.stream_options as { include_usage?: unknown } | undefined;
  return options?.include_usage !== true;
}
