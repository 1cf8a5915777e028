/**
 * `@switchyard/dashboard` for the gateway (Node): where the built page is,
 * how to serve it from a `node:http` server, and the per-org counters behind
 * `GET /v1/dashboard/stats`.
 */

export {
  DASHBOARD_STATS_PATH,
  type DashboardStats,
  type DashboardTotals,
  type PromptCacheTotals,
  type ResponseCacheTotals,
  type RouteTraffic,
  type TrafficBucket,
  type TrafficSeries,
} from "../stats-contract.js";
export { dashboardAssetsDir } from "./assets.js";
export { contentTypeFor } from "./content-types.js";
export {
  DASHBOARD_MOUNT,
  isDashboardPath,
  type ServeDashboardOptions,
  serveDashboard,
} from "./serve.js";
export {
  DashboardStatsRecorder,
  type RequestOutcome,
  type StatsRecorderOptions,
} from "./stats-recorder.js";
