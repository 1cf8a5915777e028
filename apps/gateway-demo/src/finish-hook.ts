import type { DashboardStatsRecorder } from "@switchyard/dashboard";
import { recordDashboardOutcome } from "./dashboard/record-outcome.js";
import type { RequestOutcome } from "./http/server.js";
import { logRequest } from "./log/access-log.js";
import type { Logger } from "./log/logger.js";
import type { GatewayMetrics } from "./metrics/metrics.js";

/**
 * The one place a finished request is reported: its access-log line, its
 * metrics and the dashboard's counters, all from the same typed outcome.
 */
export function finishHook(
  logger: Logger,
  metrics: GatewayMetrics | undefined,
  dashboard: DashboardStatsRecorder | undefined,
): (outcome: RequestOutcome) => void {
  return ({ ctx, res, status, durationNs }) => {
    logRequest(logger, ctx, res, durationNs);
    metrics?.observeRequest(ctx, status, durationNs);
    if (dashboard) recordDashboardOutcome(dashboard, ctx, status);
  };
}
