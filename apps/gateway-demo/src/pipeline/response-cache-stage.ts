import type { ServerResponse } from "node:http";
import type { CancelToken } from "../cancel/cancel-token.js";
import type { ModelConfig, ResponseCacheConfig } from "../config/types.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";
import { responseCacheKey } from "../response-cache/cache-key.js";
import type { BuiltAnswer } from "./answer-stage.js";
import { type Exchange, loadAnswer } from "./exchange.js";
import { sendReplay } from "./reply.js";
import type { RoutingDecision } from "./route-stage.js";

export type CachePolicy =
  | { readonly key: string; readonly bypass?: undefined }
  | { readonly key?: undefined; readonly bypass: string };

export interface CachePolicyInput {
  readonly config: ResponseCacheConfig;
  readonly models: ReadonlyMap<string, ModelConfig>;
  readonly orgId: string;
  readonly api: ApiKind;
  readonly body: JsonObject;
  readonly decision: RoutingDecision;
  /** The client's `cache-control` request header. */
  readonly cacheControl: string | undefined;
  readonly anthropicVersion: string | undefined;
  readonly anthropicBeta: string | undefined;
}

/**
 * Whether the response cache may answer this request, and its key. The
 * determinism rule: a request is cacheable when it asks for one answer
 * (`n` absent or 1) and is deterministic: `temperature: 0`, or no
 * `temperature` and every candidate model is marked `deterministic` in the
 * catalog (providers default to temperature 1, so an absent temperature is
 * not deterministic otherwise). `seed` is part of the key, so it never makes
 * two requests share an answer; a seed alone (temperature above 0) is not
 * enough. Skipped entirely by a route's `disable_cache` and by the request
 * header `cache-control: no-cache` / `no-store`. Only cacheable requests pay
 * for the key (a SHA-256 over the canonical body).
 */
export function cachePolicy(input: CachePolicyInput): CachePolicy {
  const { config, body, decision } = input;
  if (!config.enabled) return { bypass: "disabled" };
  if (decision.route?.then.disable_cache === true) return { bypass: "route_disable_cache" };
  const cc = input.cacheControl;
  if (cc !== undefined && /no-cache|no-store/i.test(cc)) return { bypass: "client_no_cache" };
  const n = body.n;
  if (n !== undefined && n !== null && n !== 1) return { bypass: "n" };
  const temperature = body.temperature;
  if (typeof temperature === "number") {
    if (temperature !== 0) return { bypass: "temperature" };
  } else if (!decision.candidates.every((name) => input.models.get(name)?.deterministic === true)) {
    return { bypass: "temperature_default" };
  }
  return {
    key: responseCacheKey({
      orgId: input.orgId,
      api: input.api,
      candidates: decision.candidates,
      anthropicVersion: input.anthropicVersion,
      anthropicBeta: input.anthropicBeta,
      body,
    }),
  };
}

/** The request is not cacheable: counted, with the reason in its log line. */
export function bypassCache(x: Exchange, reason: string): void {
  x.ctx.responseCache = "bypass";
  x.ctx.cacheBypass = reason;
  x.services.responseCache.counters.bypasses++;
}

/**
 * A streamed request: a stored answer is replayed as the stream asked for
 * (`true`: answered); else a miss is counted and the request streams from
 * upstream (a stream never waits for another request's load).
 */
export function replayStored(x: Exchange, key: string, res: ServerResponse): boolean {
  const { responseCache } = x.services;
  const { ctx } = x;
  const stored = responseCache.peek(key);
  if (stored === undefined) {
    responseCache.counters.misses++;
    ctx.responseCache = "miss";
    return false;
  }
  responseCache.counters.hits++;
  ctx.responseCache = "hit";
  ctx.modelUsed = stored.modelUsed;
  ctx.costUsd = 0;
  ctx.responseCacheSavedUsd = stored.costUsd;
  const options = x.plan.body.stream_options as { include_usage?: unknown } | undefined;
  sendReplay(res, ctx, stored, options?.include_usage === true);
  return true;
}

/**
 * A non-streamed request: the stored answer, or the answer of the one
 * upstream call identical concurrent requests share (`loadAnswer`). An
 * answer the cache served costs this request nothing.
 */
export async function cachedAnswer(
  x: Exchange,
  key: string,
  cancel: CancelToken,
): Promise<BuiltAnswer> {
  const { ctx } = x;
  const waited = process.hrtime.bigint();
  const { answer, role } = await x.services.responseCache.get(
    key,
    (loadSignal) => loadAnswer(x, loadSignal),
    cancel.signal,
  );
  ctx.responseCache = role;
  if (role !== "miss") {
    // Served by the cache layer: no upstream call of its own, nothing billed.
    ctx.upstreamNs += Number(process.hrtime.bigint() - waited);
    ctx.modelUsed = answer.modelUsed;
    ctx.costUsd = 0;
    ctx.responseCacheSavedUsd = answer.costUsd;
  }
  return answer;
}
