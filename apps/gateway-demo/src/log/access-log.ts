import type { ServerResponse } from "node:http";
import type { RequestContext, UsageRecord } from "../pipeline/request-context.js";
import type { Logger } from "./logger.js";

/**
 * The one structured line per request: who (org id, never the key), what
 * (API, requested and used model, route id and name), how (attempts,
 * fallbacks, upstream status, response cache, prompt-cache accounting),
 * usage and cost, and how long. Undefined fields are omitted.
 */
export function logRequest(
  logger: Logger,
  ctx: RequestContext,
  res: ServerResponse,
  durationNs: number,
): void {
  const status = res.statusCode;
  const level = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
  if (!logger.isLevelEnabled(level)) return;
  const durationMs = durationNs / 1e6;
  logger[level](
    {
      req_id: ctx.id,
      method: ctx.method,
      path: ctx.path,
      status,
      duration_ms: Math.round(durationMs * 1000) / 1000,
      org: ctx.orgId,
      api: ctx.orgId === undefined ? undefined : ctx.api,
      model: ctx.requestedModel,
      model_used: ctx.modelUsed,
      route_id: ctx.routeId,
      route: ctx.routeName,
      forced: ctx.forcedRoute,
      route_bypass: ctx.routeBypass,
      stream: ctx.stream,
      attempts: ctx.attempts || undefined,
      fallbacks: ctx.fallbacks || undefined,
      upstream_status: ctx.upstreamStatus,
      input_tokens_est: ctx.inputTokens,
      est_cost_usd: ctx.estimatedCostUsd,
      usage: ctx.usage && usageFields(ctx.usage),
      cost_usd: ctx.costUsd,
      cache: ctx.responseCache,
      cache_bypass: ctx.cacheBypass,
      prompt_cache: ctx.promptCache,
      error: ctx.errorCode,
      client_aborted: ctx.clientAborted,
    },
    "request",
  );
}

/** `{input, output}` plus, with prompt-cache accounting, `cache_read` and `cache_write`. */
function usageFields(usage: UsageRecord): Record<string, number> {
  const out: Record<string, number> = { input: usage.input, output: usage.output };
  if (usage.cacheRead !== undefined) out.cache_read = usage.cacheRead;
  if (usage.cacheWrite !== undefined) out.cache_write = usage.cacheWrite;
  return out;
}
