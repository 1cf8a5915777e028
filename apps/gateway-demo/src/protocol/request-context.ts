import type { ApiKind } from "./api-kind.js";

/**
 * Per-request state that flows through the pipeline stages and ends up as
 * the request's one log line. Stages fill in what they learn; nothing here
 * is ever a secret (the API key never enters the context).
 */
export interface RequestContext {
  readonly id: string;
  readonly startedAt: bigint;
  readonly method: string;
  readonly path: string;
  /** Which error envelope to answer with. */
  api: ApiKind;
  orgId?: string;
  requestedModel?: string;
  modelUsed?: string;
  routeId?: string;
  routeName?: string;
  forcedRoute?: boolean;
  /** Why a matched route was not applied (capability guard). */
  routeBypass?: string;
  stream?: boolean;
  inputTokens?: number;
  estimatedCostUsd?: number;
  /** Upstream attempts made (retries and fallbacks included). */
  attempts: number;
  fallbacks: number;
  upstreamStatus?: number;
  errorCode?: string;
  /** Token usage as the client saw it (input = the whole prompt), when the gateway read it. */
  usage?: UsageRecord;
  /** Response cache: `hit`, `coalesced` (joined an identical request in flight), `miss`, `bypass`. */
  responseCache?: ResponseCacheResult;
  /** Why the response cache was bypassed. */
  cacheBypass?: string;
  /** What this request cost upstream in USD (0 for answers served by the response cache). */
  costUsd?: number;
  /** What a response-cache hit saved: the stored answer's original cost, USD. */
  responseCacheSavedUsd?: number | undefined;
  /** Prompt-cache accounting of the request (models with a cache tariff); `saved_usd` is net of write premiums. */
  promptCache?: { outcome: string; read: number; written: number; saved_usd?: number };
  /** Time spent on upstream attempts and retry waits (or waiting for a coalesced load), ns. */
  upstreamNs: number;
  /** Streams: when the first byte went to the client, ns after `startedAt`. */
  firstByteNs?: number;
  /** Set when the client went away before the response finished. */
  clientAborted?: boolean;
}

export type ResponseCacheResult = "hit" | "coalesced" | "miss" | "bypass";

export interface UsageRecord {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export function newRequestContext(id: string, method: string, path: string): RequestContext {
  return {
    id,
    startedAt: process.hrtime.bigint(),
    method,
    path,
    api: "openai",
    attempts: 0,
    fallbacks: 0,
    upstreamNs: 0,
  };
}
