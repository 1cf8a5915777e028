/** Every default of the config file in one place (the README's config reference mirrors it). */
export const DEFAULTS = {
  server: {
    host: "127.0.0.1",
    port: 8787,
    bodyLimitBytes: 10 * 1024 * 1024,
    keepAliveTimeoutMs: 65_000,
    shutdownTimeoutMs: 10_000,
  },
  logLevel: "info",
  routeStore: { cacheTtlMs: 60_000 },
  mockUpstream: { enabled: false, host: "127.0.0.1", port: 0 },
  upstream: {
    connectionsPerProvider: 128,
    connectTimeoutMs: 5_000,
    headersTimeoutMs: 60_000,
    bodyTimeoutMs: 60_000,
    keepAliveTimeoutMs: 30_000,
  },
  retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 },
  circuitBreaker: { failureThreshold: 5, cooldownMs: 30_000 },
  anthropicVersion: "2023-06-01",
} as const;
