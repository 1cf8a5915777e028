import { roundUsd } from "@switchyard/core";
import type { DashboardStats, RouteTraffic, TrafficBucket } from "../stats-contract.js";

/** What the gateway learned about one finished completion request. */
export interface RequestOutcome {
  /** The org of the API key. */
  readonly orgId: string;
  /** The HTTP status answered. */
  readonly status: number;
  /** The route applied (matched or forced); absent or `null` when unrouted. */
  readonly route?: { readonly id: string; readonly name: string } | null;
  /** True when the request moved past its first candidate model. */
  readonly fellBack?: boolean;
  /** The response cache's verdict (`x-switchyard-cache`), and what a hit saved. */
  readonly responseCache?: {
    readonly outcome: "hit" | "miss" | "bypass" | "coalesced";
    readonly savedUsd?: number;
  } | null;
  /** Prompt-cache accounting of the request (read and written tokens, net saving in USD). */
  readonly promptCache?: {
    readonly readTokens: number;
    readonly writtenTokens: number;
    readonly savedUsd: number;
  } | null;
  /** The request's computed cost in USD. */
  readonly costUsd?: number | null;
  /** When it finished (ms since the epoch); default now. */
  readonly at?: number;
}

export interface StatsRecorderOptions {
  /** Width of a chart bucket. Default 10 s. */
  readonly bucketSeconds?: number;
  /** Buckets kept. Default 60 (10 minutes at 10 s). */
  readonly buckets?: number;
  /** Clock (ms since the epoch). Default `Date.now`. */
  readonly now?: () => number;
  /** When counting started (ms since the epoch), reported as `since`. Default: construction time. */
  readonly since?: number;
}

interface MutableBucket {
  startMs: number;
  requests: number;
  errors: number;
  routed: number;
  fallbacks: number;
  cacheHits: number;
  promptReadTokens: number;
}

interface OrgCounters {
  requests: number;
  errors: number;
  routed: number;
  fallbacks: number;
  hits: number;
  misses: number;
  bypassed: number;
  coalesced: number;
  responseSavedUsd: number;
  readTokens: number;
  writtenTokens: number;
  promptSavedUsd: number;
  costUsd: number;
  routes: Map<string, RouteTraffic>;
  /** Ring of buckets, oldest first once full. */
  buckets: MutableBucket[];
}

const finite = (value: number | null | undefined): number =>
  typeof value === "number" && Number.isFinite(value) ? value : 0;

/**
 * In-memory, per-org counters behind `GET /v1/dashboard/stats`: the gateway
 * calls {@link record} once per finished completion request and answers the
 * endpoint with {@link snapshot} for the caller's org. Constant work per
 * request; memory grows with orgs and routes, not with traffic.
 */
export class DashboardStatsRecorder {
  private readonly orgs = new Map<string, OrgCounters>();
  private readonly bucketMs: number;
  private readonly bucketCount: number;
  private readonly now: () => number;
  private readonly sinceMs: number;

  constructor(options: StatsRecorderOptions = {}) {
    const seconds = options.bucketSeconds ?? 10;
    const count = options.buckets ?? 60;
    if (!(Number.isInteger(seconds) && seconds > 0)) {
      throw new RangeError(`bucketSeconds must be a positive integer, got ${seconds}`);
    }
    if (!(Number.isInteger(count) && count > 0)) {
      throw new RangeError(`buckets must be a positive integer, got ${count}`);
    }
    this.bucketMs = seconds * 1000;
    this.bucketCount = count;
    this.now = options.now ?? Date.now;
    this.sinceMs = options.since ?? this.now();
  }

  record(outcome: RequestOutcome): void {
    const org = this.countersFor(outcome.orgId);
    const at = outcome.at ?? this.now();
    const bucket = this.bucketFor(org, at);
    const error = outcome.status >= 400;
    const fellBack = outcome.fellBack === true;
    org.requests++;
    if (error) org.errors++;
    if (fellBack) org.fallbacks++;
    if (bucket) {
      bucket.requests++;
      if (error) bucket.errors++;
      if (fellBack) bucket.fallbacks++;
    }
    if (outcome.route) {
      org.routed++;
      if (bucket) bucket.routed++;
      const route = org.routes.get(outcome.route.id);
      if (route) {
        route.name = outcome.route.name;
        route.matches++;
        if (fellBack) route.fallbacks++;
      } else {
        const { id, name } = outcome.route;
        org.routes.set(id, { id, name, matches: 1, fallbacks: fellBack ? 1 : 0 });
      }
    }
    const cache = outcome.responseCache;
    if (cache) {
      if (cache.outcome === "hit" || cache.outcome === "coalesced") {
        org.hits++;
        if (cache.outcome === "coalesced") org.coalesced++;
        org.responseSavedUsd += finite(cache.savedUsd);
        if (bucket) bucket.cacheHits++;
      } else if (cache.outcome === "miss") org.misses++;
      else org.bypassed++;
    }
    const prompt = outcome.promptCache;
    if (prompt) {
      org.readTokens += finite(prompt.readTokens);
      org.writtenTokens += finite(prompt.writtenTokens);
      org.promptSavedUsd += finite(prompt.savedUsd);
      if (bucket) bucket.promptReadTokens += finite(prompt.readTokens);
    }
    org.costUsd += finite(outcome.costUsd);
  }

  /** The org's numbers in the {@link DashboardStats} shape (zeros for an org without traffic). */
  snapshot(org: { readonly id: string; readonly name: string }): DashboardStats {
    const c = this.orgs.get(org.id) ?? newCounters();
    const nowMs = this.now();
    const lookups = c.hits + c.misses;
    return {
      object: "dashboard.stats",
      org: { id: org.id, name: org.name },
      generated_at: new Date(nowMs).toISOString(),
      since: new Date(this.sinceMs).toISOString(),
      totals: {
        requests: c.requests,
        errors: c.errors,
        routed: c.routed,
        fallbacks: c.fallbacks,
        response_cache: {
          hits: c.hits,
          misses: c.misses,
          bypassed: c.bypassed,
          coalesced: c.coalesced,
          hit_ratio: lookups === 0 ? null : c.hits / lookups,
          saved_usd: roundUsd(c.responseSavedUsd),
        },
        prompt_cache: {
          read_tokens: c.readTokens,
          written_tokens: c.writtenTokens,
          saved_usd: roundUsd(c.promptSavedUsd),
        },
        cost_usd: roundUsd(c.costUsd),
      },
      routes: [...c.routes.values()]
        .sort((a, b) => b.matches - a.matches || a.name.localeCompare(b.name))
        .map((r) => ({ ...r })),
      series: { bucket_seconds: this.bucketMs / 1000, buckets: this.seriesAt(c, nowMs) },
    };
  }

  private countersFor(orgId: string): OrgCounters {
    let counters = this.orgs.get(orgId);
    if (!counters) {
      counters = newCounters();
      this.orgs.set(orgId, counters);
    }
    return counters;
  }

  /** The bucket for `at`, created (and old ones dropped) as time moves on; `undefined` when too old. */
  private bucketFor(org: OrgCounters, at: number): MutableBucket | undefined {
    const startMs = Math.floor(at / this.bucketMs) * this.bucketMs;
    const buckets = org.buckets;
    const last = buckets.at(-1);
    if (last === undefined || startMs > last.startMs) {
      const bucket = emptyBucket(startMs);
      buckets.push(bucket);
      const oldest = startMs - (this.bucketCount - 1) * this.bucketMs;
      while ((buckets[0] as MutableBucket).startMs < oldest) buckets.shift();
      return bucket;
    }
    for (let i = buckets.length - 1; i >= 0; i--) {
      const bucket = buckets[i] as MutableBucket;
      if (bucket.startMs === startMs) return bucket;
      if (bucket.startMs < startMs) {
        const inserted = emptyBucket(startMs);
        buckets.splice(i + 1, 0, inserted);
        return inserted;
      }
    }
    const oldest = last.startMs - (this.bucketCount - 1) * this.bucketMs;
    if (startMs < oldest) return undefined;
    const inserted = emptyBucket(startMs);
    buckets.unshift(inserted);
    return inserted;
  }

  /** The last `buckets` buckets ending with the current one, empty ones filled with zeros. */
  private seriesAt(org: OrgCounters, nowMs: number): TrafficBucket[] {
    const current = Math.floor(nowMs / this.bucketMs) * this.bucketMs;
    const byStart = new Map(org.buckets.map((b) => [b.startMs, b]));
    const out: TrafficBucket[] = [];
    for (let i = this.bucketCount - 1; i >= 0; i--) {
      const startMs = current - i * this.bucketMs;
      const b = byStart.get(startMs) ?? emptyBucket(startMs);
      out.push({
        start: new Date(startMs).toISOString(),
        requests: b.requests,
        errors: b.errors,
        routed: b.routed,
        fallbacks: b.fallbacks,
        cache_hits: b.cacheHits,
        prompt_cache_read_tokens: b.promptReadTokens,
      });
    }
    return out;
  }
}

function newCounters(): OrgCounters {
  return {
    requests: 0,
    errors: 0,
    routed: 0,
    fallbacks: 0,
    hits: 0,
    misses: 0,
    bypassed: 0,
    coalesced: 0,
    responseSavedUsd: 0,
    readTokens: 0,
    writtenTokens: 0,
    promptSavedUsd: 0,
    costUsd: 0,
    routes: new Map(),
    buckets: [],
  };
}

function emptyBucket(startMs: number): MutableBucket {
  return {
    startMs,
    requests: 0,
    errors: 0,
    routed: 0,
    fallbacks: 0,
    cacheHits: 0,
    promptReadTokens: 0,
  };
}
