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
  usage?: { input: number; output: number };
  /** Set when the client went away before the response finished. */
  clientAborted?: boolean;
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
  };
}
