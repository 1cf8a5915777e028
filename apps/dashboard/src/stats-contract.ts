/**
 * The contract of `GET /v1/dashboard/stats`: the JSON the dashboard's
 * "Traffic and caches" panel reads every few seconds.
 *
 * - Auth like every `/v1` endpoint (`Authorization: Bearer <key>` or
 *   `x-api-key`); the key selects the org and the answer holds that org's
 *   numbers only (another org's key never sees them). No key or an unknown
 *   key: 401 in the OpenAI error envelope.
 * - Counters are the gateway process's own, since `since` (its start); they
 *   only grow. With several gateway processes each answers for itself.
 * - "Requests" are completion requests (`POST /v1/chat/completions` and
 *   `POST /v1/messages`) of the org that passed authentication, whatever
 *   their status. Management, explain, models and dashboard requests do not count.
 * - Amounts of money are USD numbers rounded to 10 decimals (`roundUsd` of
 *   `@switchyard/core`, the precision of `x-switchyard-cost-usd` and the
 *   access log; sums are kept exact and rounded when answered); token
 *   counts are integers.
 * - The answer is small (no per-request data) and cheap: the page polls it.
 */

/** The path the dashboard polls. */
export const DASHBOARD_STATS_PATH = "/v1/dashboard/stats";

export interface DashboardStats {
  /** Always `"dashboard.stats"`. */
  object: "dashboard.stats";
  /** The org the key belongs to. */
  org: { id: string; name: string };
  /** When this answer was computed (ISO 8601). */
  generated_at: string;
  /** When counting started, usually the process start (ISO 8601). */
  since: string;
  totals: DashboardTotals;
  /** Routes that matched at least once since `since`, most matches first. */
  routes: RouteTraffic[];
  /** Recent traffic in fixed time buckets, for the chart. */
  series: TrafficSeries;
}

export interface DashboardTotals {
  /** Completion requests of the org (any status). */
  requests: number;
  /** Of which answered with a status >= 400. */
  errors: number;
  /** Of which a route applied to (matched, or forced with `x-switchyard-route`). */
  routed: number;
  /** Of which were answered by, or ended on, a fallback model (moved past the first candidate). */
  fallbacks: number;
  response_cache: ResponseCacheTotals;
  prompt_cache: PromptCacheTotals;
  /** Sum of the requests' computed costs (`x-switchyard-cost-usd`); requests without one add 0. */
  cost_usd: number;
}

export interface ResponseCacheTotals {
  /** Answered from the cache, coalesced followers included (`x-switchyard-cache: hit`). */
  hits: number;
  /** Looked up and not found: went upstream (`x-switchyard-cache: miss`). */
  misses: number;
  /** Not eligible or skipped (`disable_cache`, non-deterministic, ...: `x-switchyard-cache: bypass`). */
  bypassed: number;
  /** Of the hits: requests that waited for an identical in-flight request instead of calling upstream. */
  coalesced: number;
  /** `hits / (hits + misses)`; `null` while both are 0. */
  hit_ratio: number | null;
  /** Estimated cost of the upstream calls the hits avoided. */
  saved_usd: number;
}

export interface PromptCacheTotals {
  /** Input tokens billed as provider prompt-cache reads. */
  read_tokens: number;
  /** Input tokens billed as prompt-cache writes (all TTL tiers). */
  written_tokens: number;
  /**
   * Net saving of prompt caching: what the read tokens would have cost at
   * the full input price minus what they cost as reads, minus the write
   * premium (write price above the input price) of the written tokens.
   * Can be negative while writes have not paid off yet.
   */
  saved_usd: number;
}

export interface RouteTraffic {
  /** The route's id; the route may have been deleted since. */
  id: string;
  /** Its name when it last matched. */
  name: string;
  /** Requests it applied to. */
  matches: number;
  /** Of which moved past the route's target to a fallback. */
  fallbacks: number;
}

export interface TrafficSeries {
  /** Width of one bucket in seconds (e.g. 10). */
  bucket_seconds: number;
  /**
   * Oldest first, contiguous (empty buckets included, with zeros), the last
   * one is the current, still-filling bucket. At most a fixed number (e.g.
   * 60: the last 10 minutes).
   */
  buckets: TrafficBucket[];
}

export interface TrafficBucket {
  /** Bucket start (ISO 8601), a multiple of `bucket_seconds` since the epoch. */
  start: string;
  requests: number;
  errors: number;
  routed: number;
  fallbacks: number;
  /** Response-cache hits. */
  cache_hits: number;
  /** Prompt-cache read tokens. */
  prompt_cache_read_tokens: number;
}
