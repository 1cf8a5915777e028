import type { CatalogModel, NewRoute } from "@switchyard/core";
import type { ApiKind } from "../pipeline/api-kind.js";

/** The validated configuration, defaults applied. JSON field names are in the README. */
export interface GatewayConfig {
  readonly server: ServerConfig;
  readonly log: { readonly level: LogLevel };
  readonly routeStore: RouteStoreConfig;
  readonly mockUpstream: MockUpstreamConfig;
  readonly upstream: UpstreamConfig;
  readonly retry: RetryConfig;
  readonly circuitBreaker: CircuitBreakerConfig;
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
}

export interface RouteStoreConfig {
  /** Postgres when set, else the in-memory store. */
  readonly databaseUrl: string | undefined;
  readonly cacheTtlMs: number;
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
  /** The model id sent upstream (default: the catalog name). */
  readonly upstreamModel: string;
}

export interface OrgConfig {
  readonly id: string;
  readonly name: string;
  /** SHA-256 hex digests of the org's API keys. */
  readonly apiKeyHashes: readonly string[];
  /** Seeded at start: each route whose name the org does not have yet is created. */
  readonly routes: readonly NewRoute[];
}
