import type { L1CacheStats } from "@switchyard/cache-l1";
import type { CircuitState } from "@switchyard/core";
import type { PrefixCacheStats } from "@switchyard/prefix-index";
import type { RedisIndexStats } from "@switchyard/prefix-index-redis";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { RequestContext } from "../protocol/request-context.js";
import type { ResponseCacheCounters } from "../response-cache/response-cache.js";
import { type DependencyStates, registerDependencyGauge } from "./dependency-gauge.js";
import { FastHistogram } from "./fast-histogram.js";

/** Where the scrape-time metrics come from (read only when `/metrics` is scraped). */
export interface MetricSources {
  /** `CachingRoutingStore` engines and the response cache, by cache name. */
  l1(): ReadonlyArray<readonly [string, L1CacheStats]>;
  responseCache(): ResponseCacheCounters;
  promptCache(): PromptCacheMetrics | undefined;
  /** Redis accelerator stats, when `prompt_cache.redis_url` is set. */
  redis: (() => RedisIndexStats) | undefined;
  /** Each provider's circuit breaker state. */
  breakers(): ReadonlyArray<readonly [string, CircuitState]>;
  /** Whether a requested model name is a catalog model (label values stay bounded). */
  isCatalogModel(name: string): boolean;
  /** `switchyard_dependency_up`, when given. */
  dependencies?: DependencyStates;
}

/** Token counters kept by the prompt-cache stage. */
export interface PromptCacheMetrics {
  readonly stats: PrefixCacheStats;
  /** Billed cache-read tokens of successful responses, by virtual model. */
  readonly readTokens: ReadonlyMap<string, number>;
  /** Committed cache-write tokens, by `model\u0000tier`. */
  readonly writtenTokens: ReadonlyMap<string, number>;
  readonly invalidMarkers: number;
}

/** Every breaker's states, as label values (core's `CircuitState`). */
const CIRCUIT_STATES: readonly CircuitState[] = ["closed", "open", "half_open"];

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const OVERHEAD_BUCKETS = [
  0.000_05, 0.000_1, 0.000_2, 0.000_3, 0.000_5, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1,
];

const ENDPOINTS = new Set([
  "/v1/chat/completions",
  "/v1/messages",
  "/v1/models",
  "/v1/routes",
  "/v1/routes/explain",
  "/healthz",
  "/readyz",
  "/metrics",
]);

/**
 * The gateway's Prometheus metrics, in a registry of its own (several
 * gateways can live in one process, as in the tests). Per-request series
 * are updated once, after the response went out (the access-log hook);
 * everything the caches and the index count themselves is read at scrape
 * time, so the request path pays nothing for it.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly duration: FastHistogram;
  private readonly overhead: FastHistogram;
  private readonly fallbacks = new Tally();
  private readonly routeMatches = new Tally();
  private readonly cost = new Tally();

  constructor(
    private readonly sources: MetricSources,
    options: { processMetrics: boolean },
  ) {
    const registers = [this.registry];
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    // Per-request series: FastHistogram (no label hashing or validation per observation).
    this.duration = new FastHistogram(
      "switchyard_request_duration_seconds",
      "Time from the request's arrival to the end of its response (whole stream included), by endpoint, route, model and status.",
      LATENCY_BUCKETS,
      this.registry,
    );
    this.duration.countsAs(
      "switchyard_requests_total",
      "HTTP requests answered, by endpoint, route applied (none), catalog model (the one that answered when known; other for names outside the catalog) and status.",
      this.registry,
    );
    this.overhead = new FastHistogram(
      "switchyard_gateway_overhead_seconds",
      "The gateway's own time per successful completion request, by api, stream and response-cache result: total minus upstream time (attempts and retry waits); for streams, time to the first byte minus the upstream's time to its first event.",
      OVERHEAD_BUCKETS,
      this.registry,
    );
    tallyCounter(registers, this.fallbacks, {
      name: "switchyard_fallbacks_total",
      help: "Moves to the next candidate model (fallbacks), by route and the model that finally answered.",
      labelNames: ["route", "model"],
    });
    tallyCounter(registers, this.routeMatches, {
      name: "switchyard_route_matches_total",
      help: "Completion requests a route applied to, by route and whether it was forced (x-switchyard-route).",
      labelNames: ["route", "forced"],
    });
    tallyCounter(registers, this.cost, {
      name: "switchyard_cost_usd_total",
      help: "Upstream cost in USD computed from the usage the clients saw, by the model that answered.",
      labelNames: ["model"],
    });
    this.registerResponseCache(registers);
    this.registerPromptCache(registers);
    this.registerL1(registers);
    this.registerBreakers(registers);
    if (sources.redis) this.registerRedis(registers, sources.redis);
    if (sources.dependencies) registerDependencyGauge(registers, sources.dependencies);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  /** Called once per request after its response ended. */
  observeRequest(ctx: RequestContext, status: number, durationNs: number): void {
    const endpoint = endpointOf(ctx.path);
    const route = ctx.routeName ?? "none";
    const requested = ctx.requestedModel;
    const model =
      ctx.modelUsed ??
      (requested === undefined
        ? "none"
        : this.sources.isCatalogModel(requested)
          ? requested
          : "other");
    const key = `${endpoint}\u0000${route}\u0000${model}\u0000${status}`;
    this.duration
      .seriesFor(key, { endpoint, route, model, status: String(status) })
      .observe(durationNs / 1e9);
    if (ctx.fallbacks > 0)
      this.fallbacks.add(`${route}\u0000${model}`, ctx.fallbacks, { route, model });
    if (ctx.routeName !== undefined) {
      const forced = ctx.forcedRoute ? "true" : "false";
      this.routeMatches.add(`${route}\u0000${forced}`, 1, { route, forced });
    }
    if (ctx.costUsd !== undefined && ctx.costUsd > 0 && ctx.modelUsed !== undefined) {
      this.cost.add(ctx.modelUsed, ctx.costUsd, { model: ctx.modelUsed });
    }
    const overheadNs = status < 300 ? overheadOf(ctx, durationNs) : undefined;
    if (overheadNs !== undefined) {
      const cache = ctx.responseCache ?? "bypass";
      const stream = ctx.stream ? "true" : "false";
      const h = this.overhead.seriesFor(`${ctx.api}\u0000${stream}\u0000${cache}`, {
        api: ctx.api,
        stream,
        cache,
      });
      h.observe(overheadNs / 1e9);
    }
  }

  private registerResponseCache(registers: Registry[]): void {
    const sources = this.sources;
    new Counter({
      name: "switchyard_response_cache_requests_total",
      help: "Completion requests by response-cache result: hit (served from the cache), coalesced (joined an identical request in flight), miss (looked up, went upstream), bypass (not cacheable or disabled).",
      labelNames: ["result"],
      registers,
      collect: resetting((m) => {
        const c = sources.responseCache();
        m.inc({ result: "hit" }, c.hits);
        m.inc({ result: "coalesced" }, c.coalesced);
        m.inc({ result: "miss" }, c.misses);
        m.inc({ result: "bypass" }, c.bypasses);
      }),
    });
    new Counter({
      name: "switchyard_response_cache_stores_total",
      help: "Answers loaded for the response cache, by whether they were stored or not (tool calls, too large, not a complete answer).",
      labelNames: ["result"],
      registers,
      collect: resetting((m) => {
        const c = sources.responseCache();
        m.inc({ result: "stored" }, c.stored);
        m.inc({ result: "not_stored" }, c.notStored);
      }),
    });
  }

  private registerPromptCache(registers: Registry[]): void {
    const sources = this.sources;
    new Counter({
      name: "switchyard_prompt_cache_read_tokens_total",
      help: "Prompt tokens billed as cache reads on successful responses, by requested (virtual) model.",
      labelNames: ["model"],
      registers,
      collect: resetting((m) => {
        const p = sources.promptCache();
        if (p) for (const [model, n] of p.readTokens) m.inc({ model }, n);
      }),
    });
    new Counter({
      name: "switchyard_prompt_cache_written_tokens_total",
      help: "Prompt tokens billed as cache writes and committed to the index, by requested (virtual) model and TTL tier.",
      labelNames: ["model", "ttl"],
      registers,
      collect: resetting((m) => {
        const p = sources.promptCache();
        if (!p) return;
        for (const [key, n] of p.writtenTokens) {
          const [model = "", ttl = ""] = key.split("\u0000");
          m.inc({ model, ttl }, n);
        }
      }),
    });
    const outcomes: Array<[keyof PrefixCacheStats, string]> = [
      ["disabled", "disabled"],
      ["noBreakpoints", "no_breakpoints"],
      ["pureReads", "pure_read"],
      ["writes", "write"],
      ["belowFloor", "below_floor"],
      ["indexErrors", "index_error"],
      ["indexTimeouts", "index_timeout"],
      ["tokenizerErrors", "tokenizer_error"],
      ["classifyErrors", "error"],
    ];
    new Counter({
      name: "switchyard_prompt_cache_classifications_total",
      help: "Prompt-cache classifications by outcome (index errors and timeouts mean no cache for that request, never an error).",
      labelNames: ["outcome"],
      registers,
      collect: resetting((m) => {
        const p = sources.promptCache();
        if (p) for (const [field, outcome] of outcomes) m.inc({ outcome }, p.stats[field]);
      }),
    });
    const commits: Array<[keyof PrefixCacheStats, string]> = [
      ["commitsApplied", "committed"],
      ["commitsNothingPending", "nothing_to_commit"],
      ["commitsSkippedFailedResponse", "skipped_failed_response"],
      ["commitsSkippedGapCap", "skipped_gap_cap"],
      ["commitsTimedOut", "timed_out"],
      ["commitsFailed", "failed"],
    ];
    new Counter({
      name: "switchyard_prompt_cache_commits_total",
      help: "Post-response commits of prefix-cache writes and refreshes, by result.",
      labelNames: ["result"],
      registers,
      collect: resetting((m) => {
        const p = sources.promptCache();
        if (p) for (const [field, result] of commits) m.inc({ result }, p.stats[field]);
      }),
    });
    new Counter({
      name: "switchyard_prompt_cache_invalid_markers_total",
      help: "Requests refused with 400 invalid_cache_control (nothing dispatched).",
      registers,
      collect: resetting((m) => {
        m.inc(sources.promptCache()?.invalidMarkers ?? 0);
      }),
    });
  }

  private registerL1(registers: Registry[]): void {
    const sources = this.sources;
    const fields: Array<[keyof L1CacheStats, string, string]> = [
      ["hits", "hits", "Fresh values served from memory."],
      ["misses", "misses", "Lookups that found no fresh value."],
      ["coalesced", "coalesced", "Callers that joined a load already in flight (single-flight)."],
      ["loads", "loads", "Loads started."],
      ["loadErrors", "load_errors", "Loads that failed (never cached)."],
      [
        "staleIfErrorHits",
        "stale_if_error_hits",
        "Stale values served because their reload failed (the source is down).",
      ],
      [
        "discardedLoads",
        "discarded_loads",
        "Loaded values not stored (invalidated or uncacheable).",
      ],
      ["evictions", "evictions", "Entries evicted by the size bound (SIEVE)."],
      ["expirations", "expirations", "Expired entries swept."],
    ];
    for (const [field, name, help] of fields) {
      new Counter({
        name: `switchyard_l1_cache_${name}_total`,
        help: `L1 cache: ${help} By cache: route_engines (compiled routing engine per org), responses (the response cache).`,
        labelNames: ["cache"],
        registers,
        collect: resetting((m) => {
          for (const [cache, stats] of sources.l1()) m.inc({ cache }, stats[field] as number);
        }),
      });
    }
    new Gauge({
      name: "switchyard_l1_cache_entries",
      help: "L1 cache: entries held now, by cache.",
      labelNames: ["cache"],
      registers,
      collect: resettingGauge((m) => {
        for (const [cache, stats] of sources.l1()) m.set({ cache }, stats.size);
      }),
    });
    new Gauge({
      name: "switchyard_l1_cache_in_flight",
      help: "L1 cache: loads in flight now, by cache.",
      labelNames: ["cache"],
      registers,
      collect: resettingGauge((m) => {
        for (const [cache, stats] of sources.l1()) m.set({ cache }, stats.inFlight);
      }),
    });
  }

  private registerBreakers(registers: Registry[]): void {
    const sources = this.sources;
    new Gauge({
      name: "switchyard_upstream_circuit_state",
      help: "Each provider's circuit breaker: 1 for its current state (closed, open, half_open), 0 for the others.",
      labelNames: ["provider", "state"],
      registers,
      collect: resettingGauge((m) => {
        for (const [provider, current] of sources.breakers()) {
          for (const state of CIRCUIT_STATES) {
            m.set({ provider, state }, state === current ? 1 : 0);
          }
        }
      }),
    });
  }

  private registerRedis(registers: Registry[], read: () => RedisIndexStats): void {
    new Gauge({
      name: "switchyard_prompt_cache_redis_breaker_state",
      help: "The Redis accelerator's circuit breaker: 1 for its current state (closed, open, half_open), 0 for the others. Open: lookups go straight to the baseline index.",
      labelNames: ["state"],
      registers,
      collect: resettingGauge((m) => {
        const current = read().breakerState;
        for (const state of CIRCUIT_STATES) {
          m.set({ state }, state === current ? 1 : 0);
        }
      }),
    });
    new Gauge({
      name: "switchyard_prompt_cache_redis_pending_refreshes",
      help: "Refreshes waiting for the next write-behind flush to the baseline index.",
      registers,
      collect: resettingGauge((m) => m.set(read().pendingRefreshes)),
    });
    const fields: Array<[keyof RedisIndexStats, string, string]> = [
      ["hits", "hits", "Candidates answered from Redis as live entries."],
      ["misses", "misses", "Candidates answered from Redis as known misses."],
      [
        "baselineLookups",
        "baseline_lookups",
        "Lookups that asked the baseline about unknown candidates.",
      ],
      [
        "baselineFallbacks",
        "baseline_fallbacks",
        "Lookups served by the baseline alone (Redis failed, slow or its breaker open).",
      ],
      ["redisErrors", "errors", "Redis calls that failed or timed out."],
      ["redisTimeouts", "timeouts", "Redis calls that timed out."],
      ["breakerOpens", "breaker_opens", "Times the breaker opened."],
      ["flushes", "flushes", "Write-behind refresh flushes."],
      ["flushedRefreshes", "flushed_refreshes", "Refreshes written to the baseline by flushes."],
    ];
    for (const [field, name, help] of fields) {
      new Counter({
        name: `switchyard_prompt_cache_redis_${name}_total`,
        help: `Redis accelerator: ${help}`,
        registers,
        collect: resetting((m) => m.inc(read()[field] as number)),
      });
    }
  }
}

type Collect<T> = (this: T) => void;

/** Plain sums by label set, exported at scrape time (nothing hashed per request). */
class Tally {
  readonly entries = new Map<string, { labels: Record<string, string>; value: number }>();

  add(key: string, n: number, labels: Record<string, string>): void {
    const entry = this.entries.get(key);
    if (entry === undefined) this.entries.set(key, { labels, value: n });
    else entry.value += n;
  }
}

function tallyCounter(
  registers: Registry[],
  tally: Tally,
  options: { name: string; help: string; labelNames: string[] },
): void {
  new Counter({
    ...options,
    registers,
    collect: resetting((m) => {
      for (const { labels, value } of tally.entries.values()) m.inc(labels, value);
    }),
  });
}

/** A counter whose value is read from elsewhere at scrape time. */
function resetting(fill: (metric: Counter<string>) => void): Collect<Counter<string>> {
  return function collect(this: Counter<string>) {
    this.reset();
    fill(this);
  };
}

function resettingGauge(fill: (metric: Gauge<string>) => void): Collect<Gauge<string>> {
  return function collect(this: Gauge<string>) {
    this.reset();
    fill(this);
  };
}

function endpointOf(path: string): string {
  if (ENDPOINTS.has(path)) return path;
  if (path.startsWith("/v1/routes/")) return "/v1/routes/:id";
  return "other";
}

/** Total minus upstream time; for streams, time to the first byte minus upstream time to its first event. */
function overheadOf(ctx: RequestContext, durationNs: number): number | undefined {
  if (ctx.responseCache === undefined) return undefined; // not a completion that got this far
  const end = ctx.stream ? ctx.firstByteNs : durationNs;
  if (end === undefined) return undefined;
  return Math.max(0, end - ctx.upstreamNs);
}
