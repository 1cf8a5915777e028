import {
  DEFAULT_MIN_PREFIX_TOKENS,
  DEFAULT_READ_MULTIPLIER,
  DEFAULT_WRITE_MULTIPLIERS,
} from "@switchyard/prefix-index";

/** Every default of the config file in one place (the README's config reference mirrors it). */
export const DEFAULTS = {
  server: {
    host: "127.0.0.1",
    port: 8787,
    bodyLimitBytes: 10 * 1024 * 1024,
    keepAliveTimeoutMs: 65_000,
    shutdownTimeoutMs: 10_000,
    requestTimeoutMs: 60_000,
    headersTimeoutMs: 10_000,
    maxConnections: 10_000,
  },
  logLevel: "info",
  routeStore: { cacheTtlMs: 60_000, staleIfErrorMs: 3_600_000 },
  mockUpstream: { enabled: false, host: "127.0.0.1", port: 0 },
  upstream: {
    connectionsPerProvider: 128,
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 60_000,
    bodyTimeoutMs: 60_000,
    keepAliveTimeoutMs: 30_000,
    maxResponseBytes: 16 * 1024 * 1024,
    maxSseEventBytes: 4 * 1024 * 1024,
  },
  retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 },
  circuitBreaker: { failureThreshold: 5, cooldownMs: 30_000 },
  anthropicVersion: "2023-06-01",
  responseCache: { enabled: true, ttlMs: 600_000, maxEntries: 5_000, maxBodyBytes: 64 * 1024 },
  promptCache: {
    enabled: true,
    enabledTtlTiers: ["5m", "1h"] as const,
    defaultTtl: "5m" as const,
    lookupTimeoutMs: 250,
    commitDeadlineMs: 2_000,
    memoryMaxEntries: 100_000,
    sweepIntervalMs: 600_000,
    redisCommandTimeoutMs: 50,
    redisFlushIntervalMs: 1_000,
  },
  /** The package's defaults: 5m 1.25x, 1h 2x, 24h 2.5x writes, 0.1x reads, 1,024-token floor. */
  cacheTariff: {
    writeMultipliers: DEFAULT_WRITE_MULTIPLIERS,
    readMultiplier: DEFAULT_READ_MULTIPLIER,
    minPrefixTokens: DEFAULT_MIN_PREFIX_TOKENS,
  },
  metrics: { enabled: true, processMetrics: true },
  dashboard: { enabled: true },
} as const;
