import {
  DASHBOARD_STATS_PATH,
  type DashboardStatsRecorder,
  serveDashboard,
} from "@switchyard/dashboard";
import type { Handler, Router } from "../http/router.js";
import { sendObject } from "../http/send.js";
import type { GatewayServices } from "../services.js";
import { requireOrg } from "./authenticate.js";

/** The page and its files: no key needed (the page asks for one and sends it to /v1 only). */
function dashboardPage(assetsDir: string | undefined): Handler {
  const options = assetsDir === undefined ? {} : { root: assetsDir };
  return async (req, res, ctx) => {
    await serveDashboard(req, res, ctx.path, options);
  };
}

/** `GET /v1/dashboard/stats`: the key's org's counters, never another org's. */
function dashboardStatsHandler(services: GatewayServices, stats: DashboardStatsRecorder): Handler {
  const names = new Map(services.config.orgs.map((org) => [org.id, org.name]));
  return (req, res, ctx) => {
    const id = requireOrg(services, req, ctx);
    sendObject(res, 200, stats.snapshot({ id, name: names.get(id) ?? id }));
  };
}

/**
 * `/dashboard` (GET, HEAD): the page, `/dashboard/assets/…` its files; and
 * the stats endpoint. The router matches exact paths and one trailing
 * parameter, so both file levels are listed; `serveDashboard` answers 404
 * for anything else below the mount. Nothing when `dashboard.enabled` is false.
 */
export function addDashboardRoutes(router: Router, services: GatewayServices): void {
  const { assetsDir } = services.config.dashboard;
  const stats = services.dashboardStats;
  if (stats === undefined) return;
  const page = dashboardPage(assetsDir);
  for (const path of ["/dashboard", "/dashboard/", "/dashboard/:file", "/dashboard/assets/:file"]) {
    router.add("GET", path, page).add("HEAD", path, page);
  }
  router.add("GET", DASHBOARD_STATS_PATH, dashboardStatsHandler(services, stats));
}
