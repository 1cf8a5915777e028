import { Pool } from "undici";
import type { GatewayConfig, ProviderConfig } from "../config/types.js";
import type { Dialect } from "../dialects/dialect.js";
import { dialectFor } from "../dialects/index.js";
import type { ApiKind } from "../protocol/api-kind.js";
import { CircuitBreaker } from "./circuit-breaker.js";

/** A provider ready to call: its keep-alive pool, breaker and fixed request parts. */
export interface RuntimeProvider {
  readonly name: string;
  readonly kind: ApiKind;
  /** Everything its wire format needs (request build, transforms, headers). */
  readonly dialect: Dialect;
  readonly origin: string;
  /** Path of the completion endpoint under the provider's base URL (the dialect's `chatPath`). */
  readonly completionPath: string;
  readonly apiKey: string | undefined;
  readonly anthropicVersion: string;
  readonly pool: Pool;
  readonly breaker: CircuitBreaker;
  /** `upstream.max_response_bytes`: a larger non-streamed answer is a failure. */
  readonly maxResponseBytes: number;
  /** `upstream.max_sse_event_bytes`: a larger stream event is a failure. */
  readonly maxSseEventBytes: number;
}

/** Where `base_url: "mock"` points, per dialect. */
export type MockBaseUrls = Readonly<Record<ApiKind, string>>;

/** One undici keep-alive `Pool` and one circuit breaker per provider. */
export class ProviderSet {
  private readonly byName = new Map<string, RuntimeProvider>();

  constructor(config: GatewayConfig, mock: MockBaseUrls | undefined) {
    for (const provider of config.providers.values()) {
      this.byName.set(provider.name, runtimeProvider(provider, config, mock));
    }
  }

  get(name: string): RuntimeProvider | undefined {
    return this.byName.get(name);
  }

  all(): IterableIterator<RuntimeProvider> {
    return this.byName.values();
  }

  /** Lets in-flight requests finish, then closes every pool's connections. */
  async close(): Promise<void> {
    await Promise.all([...this.byName.values()].map((p) => p.pool.close()));
  }

  /** Ends every connection at once (after the drain deadline). */
  async destroy(): Promise<void> {
    await Promise.all([...this.byName.values()].map((p) => p.pool.destroy()));
  }
}

function runtimeProvider(
  provider: ProviderConfig,
  config: GatewayConfig,
  mock: MockBaseUrls | undefined,
): RuntimeProvider {
  const base = provider.baseUrl === "mock" ? mockBase(provider, mock) : provider.baseUrl;
  const url = new URL(base);
  const basePath = url.pathname.replace(/\/+$/, "");
  const u = config.upstream;
  const pool = new Pool(url.origin, {
    connections: u.connectionsPerProvider,
    pipelining: 1,
    keepAliveTimeout: u.keepAliveTimeoutMs,
    headersTimeout: u.headersTimeoutMs,
    bodyTimeout: u.bodyTimeoutMs,
    connect: { timeout: u.connectTimeoutMs },
  });
  const dialect = dialectFor(provider.kind);
  return {
    name: provider.name,
    kind: provider.kind,
    dialect,
    origin: url.origin,
    completionPath: dialect.chatPath(basePath),
    apiKey: provider.apiKey,
    anthropicVersion: provider.anthropicVersion,
    pool,
    breaker: new CircuitBreaker(
      config.circuitBreaker.failureThreshold,
      config.circuitBreaker.cooldownMs,
    ),
    maxResponseBytes: u.maxResponseBytes,
    maxSseEventBytes: u.maxSseEventBytes,
  };
}

function mockBase(provider: ProviderConfig, mock: MockBaseUrls | undefined): string {
  if (!mock)
    throw new Error(
      `provider ${provider.name} uses base_url "mock" but the mock upstream is not running`,
    );
  return mock[provider.kind];
}
