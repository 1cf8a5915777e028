import type { L1CacheStats } from "@switchyard/cache-l1";
import type { CircuitState } from "@switchyard/core";
import type { RedisIndexStats } from "@switchyard/prefix-index-redis";
import { collectDefaultMetrics, Registry } from "prom-client";
import type { RequestContext } from "../protocol/request-context.js";
import type { ResponseCacheCounters } from "../response-cache/response-cache.js";
import { registerProviderBreakers, registerRedisBreaker } from "./breaker-gauges.js";
import { registerL1, registerResponseCache } from "./cache-metrics.js";
import { type DependencyStates, registerDependencyGauge } from "./dependency-gauge.js";
import { FastHistogram } from "./fast-histogram.js";
import {
  type PromptCacheMetrics,
  registerPromptCache,
  registerRedisStats,
} from "./prompt-cache-metrics.js";
import { Tally, tallyCounter } from "./scrape-collect.js";

export type { PromptCacheMetrics } from "./prompt-cache-metrics.js";

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
    registerResponseCache(registers, () => sources.responseCache());
    registerPromptCache(registers, () => sources.promptCache());
    registerL1(registers, () => sources.l1());
    registerProviderBreakers(registers, () => sources.breakers());
    const redis = sources.redis;
    if (redis) {
      registerRedisBreaker(registers, () => redis().breakerState);
      registerRedisStats(registers, redis);
    }
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
