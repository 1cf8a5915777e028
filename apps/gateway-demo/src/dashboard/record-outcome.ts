import type { DashboardStatsRecorder } from "@switchyard/dashboard";
import type { RequestContext } from "../protocol/request-context.js";

const COMPLETION_PATHS = new Set(["/v1/chat/completions", "/v1/messages"]);

/**
 * Feeds the dashboard's counters once per finished completion request of an
 * authenticated org (any status); every other request is ignored.
 */
export function recordDashboardOutcome(
  stats: DashboardStatsRecorder,
  ctx: RequestContext,
  status: number,
): void {
  if (ctx.orgId === undefined || ctx.method !== "POST" || !COMPLETION_PATHS.has(ctx.path)) return;
  const cache = ctx.responseCache;
  const prompt = ctx.promptCache;
  stats.record({
    orgId: ctx.orgId,
    status,
    route:
      ctx.routeId === undefined ? null : { id: ctx.routeId, name: ctx.routeName ?? ctx.routeId },
    fellBack: ctx.fallbacks > 0,
    responseCache:
      cache === undefined ? null : { outcome: cache, savedUsd: ctx.responseCacheSavedUsd ?? 0 },
    promptCache:
      prompt === undefined
        ? null
        : {
            readTokens: prompt.read,
            writtenTokens: prompt.written,
            savedUsd: prompt.saved_usd ?? 0,
          },
    costUsd: ctx.costUsd ?? null,
  });
}
