import type { DashboardStats } from "../stats-contract.js";
import { ApiError, type GatewayApi } from "./api.js";
import { trafficChart } from "./chart.js";
import { byId, h, replaceChildren } from "./dom.js";
import { clockTime, formatInt, formatPercent, formatSavings, formatTokens } from "./format.js";

const setText = (id: string, text: string) => {
  byId(id).textContent = text;
};

const share = (part: number, whole: number) =>
  whole === 0 ? "–" : `${formatPercent(part / whole)} of requests`;

/** The Traffic and caches panel: polls `GET /v1/dashboard/stats` every few seconds. */
export class TrafficView {
  private timer: ReturnType<typeof setInterval> | undefined;
  private inFlight = false;
  private readonly error = byId("stats-error");

  constructor(
    private readonly api: () => GatewayApi,
    private readonly hooks: {
      onError(error: unknown): void;
      onStats(stats: DashboardStats): void;
    },
    private readonly intervalMs: number,
  ) {
    byId("stats-refresh").addEventListener("click", () => void this.refresh());
  }

  start(): void {
    this.stop();
    void this.refresh();
    this.timer = setInterval(() => {
      if (document.visibilityState !== "hidden") void this.refresh();
    }, this.intervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  async refresh(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const stats = await this.api().stats();
      this.error.hidden = true;
      this.render(stats);
      this.hooks.onStats(stats);
    } catch (error) {
      this.error.hidden = false;
      this.error.textContent =
        error instanceof ApiError && error.status === 404
          ? "This gateway does not serve traffic numbers yet (GET /v1/dashboard/stats answered 404)."
          : `Could not load the traffic numbers: ${(error as Error).message}`;
      this.hooks.onError(error);
    } finally {
      this.inFlight = false;
    }
  }

  private render(stats: DashboardStats): void {
    const t = stats.totals;
    const rc = t.response_cache;
    const pc = t.prompt_cache;
    setText("stat-requests", formatInt(t.requests));
    setText("stat-errors", `${formatInt(t.errors)} ${t.errors === 1 ? "error" : "errors"}`);
    setText("stat-routed", formatInt(t.routed));
    setText("stat-routed-share", share(t.routed, t.requests));
    setText("stat-fallbacks", formatInt(t.fallbacks));
    setText("stat-fallbacks-share", share(t.fallbacks, t.requests));
    setText("stat-hit-ratio", formatPercent(rc.hit_ratio));
    setText(
      "stat-hits",
      `${formatInt(rc.hits)} hits / ${formatInt(rc.hits + rc.misses)} lookups, ${formatInt(rc.bypassed)} bypassed`,
    );
    setText("stat-read", formatTokens(pc.read_tokens));
    setText("stat-written", `${formatTokens(pc.written_tokens)} tokens written`);
    const saved = formatSavings(pc.saved_usd, rc.saved_usd);
    setText("stat-saved", saved.total);
    setText("stat-saved-split", saved.split);
    const since = new Date(stats.since);
    setText(
      "stats-updated",
      `${stats.org.name}: counted by this gateway since ${since.toLocaleString("en-GB")}; updated ${clockTime(new Date(stats.generated_at))}, refreshing every ${Math.round(this.intervalMs / 1000)} s.`,
    );
    setText("chart-title", `Requests per ${stats.series.bucket_seconds} s`);
    replaceChildren(byId("chart"), trafficChart(stats.series.buckets, stats.series.bucket_seconds));
    const rows =
      stats.routes.length === 0
        ? [h("tr", {}, h("td", { colspan: 3, class: "hint" }, "No route has matched yet."))]
        : stats.routes.map((r) =>
            h(
              "tr",
              {},
              h("td", {}, r.name),
              h("td", { class: "num" }, formatInt(r.matches)),
              h("td", { class: "num" }, formatInt(r.fallbacks)),
            ),
          );
    replaceChildren(byId("route-traffic-body"), ...rows);
  }

  reset(): void {
    this.stop();
    for (const id of [
      "stat-requests",
      "stat-routed",
      "stat-fallbacks",
      "stat-hit-ratio",
      "stat-read",
      "stat-saved",
    ]) {
      setText(id, "–");
    }
    replaceChildren(byId("chart"));
    replaceChildren(byId("route-traffic-body"));
    setText("stats-updated", "Not loaded yet.");
    this.error.hidden = true;
  }
}
