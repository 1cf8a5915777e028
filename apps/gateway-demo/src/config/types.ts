import type { CatalogModel, NewRoute, TtlTier } from "@switchyard/core";
import type { ApiKind } from "../protocol/api-kind.js";

/** The validated configuration, defaults applied. JSON field names are in the README. */
export interface GatewayConfig {
  readonly server: ServerConfig;
  readonly log: { readonly level: LogLevel };
  readonly routeStore: RouteStoreConfig;
  readonly mockUpstream: MockUpstreamConfig;
  readonly upstream: UpstreamConfig;
  readonly retry: RetryConfig;
  readonly circuitBreaker: CircuitBreakerConfig;
  readonly responseCache: ResponseCacheConfig;
  readonly promptCache: PromptCacheConfig;
  readonly metrics: MetricsConfig;
  readonly dashboard: DashboardConfig;
  readonly providers: ReadonlyMap<string, ProviderConfig>;
  readonly models: ReadonlyMap<string, ModelConfig>;
  readonly orgs: readonly OrgConfig[];
}

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";
export const LOG_LEVELS: readonly LogLevel[] = [
  "trace",
  "debug",
  "info",
  "warn",
  "error",
  "fatal",
  "silent",
];

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  readonly bodyLimitBytes: number;
  readonly keepAliveTimeoutMs: number;
  readonly shutdownTimeoutMs: number;
  /** Longest time to receive a whole request, headers and body (not the response): 408 and closed. */
  readonly requestTimeoutMs: number;
  /** Longest time to receive a request's headers: 408 and closed. */
  readonly headersTimeoutMs: number;
  /** Client connections open at once; more are closed as they arrive. */
  readonly maxConnections: number;
}

export interface RouteStoreConfig {
  /** Postgres when set, else the in-memory store. */
  readonly databaseUrl: string | undefined;
  readonly cacheTtlMs: number;
  /**
   * How long past its TTL an org's engine keeps serving while reloading it
   * fails (the store is down): its routes, ceilings included, keep applying.
   */
  readonly staleIfErrorMs: number;
}

export interface MockUpstreamConfig {
  readonly enabled: boolean;
  readonly host: string;
  readonly port: number;
}

export interface UpstreamConfig {
  readonly connectionsPerProvider: number;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** A larger non-streamed upstream answer is a broken answer (502), not read further. */
  readonly maxResponseBytes: number;
  /** A larger upstream SSE event is a broken stream: 502 before the first byte, an error event after. */
  readonly maxSseEventBytes: number;
}

export interface RetryConfig {
  /** Attempts per candidate model, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `retry-after` longer than this is not waited for: the next candidate is tried instead. */
  readonly maxRetryAfterMs: number;
}

export interface CircuitBreakerConfig {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
}

/** The exact response cache (`response_cache`). */
export interface ResponseCacheConfig {
  readonly enabled: boolean;
  readonly ttlMs: number;
  readonly maxEntries: number;
  /** Answers larger than this are served but not stored. */
  readonly maxBodyBytes: number;
}

/** Prompt-prefix cache accounting (`prompt_cache`), for models with a `cache_tariff`. */
export interface PromptCacheConfig {
  readonly enabled: boolean;
  /** Redis accelerator in front of the index (Postgres when `route_store.database_url`, else memory). */
  readonly redisUrl: string | undefined;
  readonly enabledTtlTiers: readonly TtlTier[];
  readonly defaultTtl: TtlTier;
  readonly lookupTimeoutMs: number;
  readonly commitDeadlineMs: number;
  /** Entries of the in-memory index (without a database). */
  readonly memoryMaxEntries: number;
  /** How often expired Postgres entries are swept (0: never). */
  readonly sweepIntervalMs: number;
  /** Redis command timeout before falling back to the baseline index. */
  readonly redisCommandTimeoutMs: number;
  /** Write-behind period of refreshes from Redis to the baseline (flushed on shutdown too). */
  readonly redisFlushIntervalMs: number;
}

export interface MetricsConfig {
  /** Serve `GET /metrics` (Prometheus text). */
  readonly enabled: boolean;
  /** Node.js process metrics (CPU, memory, event loop lag, GC) next to the gateway's own. */
  readonly processMetrics: boolean;
}

export interface DashboardConfig {
  /** Serve the operator page at `/dashboard` and `GET /v1/dashboard/stats`. */
  readonly enabled: boolean;
  /** The built page; default `apps/dashboard/dist` (`@switchyard/dashboard`'s `dashboardAssetsDir()`). */
  readonly assetsDir: string | undefined;
}

export type CacheAccounting = "gateway" | "provider";
export const CACHE_ACCOUNTINGS: readonly CacheAccounting[] = ["gateway", "provider"];

/** A model's prompt-cache tariff as configured (prices come from the model). */
export interface CacheTariffConfig {
  readonly writeMultipliers: Readonly<Record<TtlTier, number>>;
  readonly readMultiplier: number;
  readonly minPrefixTokens: number;
}

export interface ProviderConfig {
  readonly name: string;
  readonly kind: ApiKind;
  /** `mock` resolves to the built-in mock upstream at start. */
  readonly baseUrl: string;
  /** The key itself, read from `api_key_env` at start; never logged. */
  readonly apiKey: string | undefined;
  readonly anthropicVersion: string;
}

export interface ModelConfig extends CatalogModel {
  readonly name: string;
  readonly provider: string;
  /**
   * The dialect its provider speaks (the provider's `kind`): a request in the
   * other dialect is translated, which decides the output bound sent upstream.
   */
  readonly providerKind: ApiKind;
  /** The model id sent upstream (default: the catalog name). */
  readonly upstreamModel: string;
  /** Prompt-cache accounting tariff; without one the model's prompts are not cache-accounted. */
  readonly cacheTariff?: CacheTariffConfig;
  /**
   * Whose cache numbers bill (`cache_accounting`): `gateway` (default) the
   * gateway's own prompt-cache accounting; `provider` the cache reads and
   * writes the upstream reports, priced with `cacheTariff` (required then).
   */
  readonly cacheAccounting: CacheAccounting;
  /**
   * The model answers identically to identical input at its default
   * temperature, so requests without `temperature` may be served from the
   * response cache (default false: providers default to temperature 1).
   */
  readonly deterministic: boolean;
}

export interface OrgConfig {
  readonly id: string;
  readonly name: string;
  /** SHA-256 hex digests of the org's API keys. */
  readonly apiKeyHashes: readonly string[];
  /** Seeded at start: each route whose name the org does not have yet is created. */
  readonly routes: readonly NewRoute[];
}
