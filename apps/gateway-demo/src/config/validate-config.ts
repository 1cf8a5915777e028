import { ConfigError } from "./config-error.js";
import { DEFAULTS } from "./defaults.js";
import { FieldReader, isObj, type Obj } from "./field-reader.js";
import { type GatewayConfig, LOG_LEVELS } from "./types.js";
import { readModels, readOrgs, readProviders } from "./validate-catalog.js";

const TOP_LEVEL = [
  "$schema",
  "server",
  "log",
  "route_store",
  "mock_upstream",
  "upstream",
  "retry",
  "circuit_breaker",
  "providers",
  "models",
  "orgs",
] as const;

const DAY_MS = 86_400_000;

/**
 * Turns raw config JSON into a {@link GatewayConfig}, applying defaults.
 * Throws {@link ConfigError} listing every problem, each with its field path.
 * `env` supplies provider keys (`api_key_env`); `sources` maps paths to the
 * environment variables that overrode them.
 */
export function validateConfig(
  raw: unknown,
  options: { source: string; env: NodeJS.ProcessEnv; sources?: ReadonlyMap<string, string> },
): GatewayConfig {
  const r = new FieldReader(options.sources);
  if (!isObj(raw))
    throw new ConfigError([{ path: "(root)", message: "must be a JSON object" }], options.source);
  r.onlyKeys(raw, "", TOP_LEVEL);

  const s = r.section(raw, "server", "", [
    "host",
    "port",
    "body_limit_bytes",
    "keep_alive_timeout_ms",
    "shutdown_timeout_ms",
  ]);
  const d = DEFAULTS;
  const server = {
    host: r.string(s, "host", "server", d.server.host),
    port: r.int(s, "port", "server", d.server.port, 0, 65_535),
    bodyLimitBytes: r.int(
      s,
      "body_limit_bytes",
      "server",
      d.server.bodyLimitBytes,
      1024,
      1024 ** 3,
    ),
    keepAliveTimeoutMs: r.int(
      s,
      "keep_alive_timeout_ms",
      "server",
      d.server.keepAliveTimeoutMs,
      1,
      DAY_MS,
    ),
    shutdownTimeoutMs: r.int(
      s,
      "shutdown_timeout_ms",
      "server",
      d.server.shutdownTimeoutMs,
      0,
      DAY_MS,
    ),
  };

  const l = r.section(raw, "log", "", ["level"]);
  const log = { level: r.oneOf(l, "level", "log", LOG_LEVELS, d.logLevel) };

  const rs = r.section(raw, "route_store", "", ["database_url", "cache_ttl_ms"]);
  const databaseUrl = r.string(rs, "database_url", "route_store");
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    r.fail("route_store.database_url", "must be a postgres:// or postgresql:// URL");
  }
  const routeStore = {
    databaseUrl,
    cacheTtlMs: r.int(rs, "cache_ttl_ms", "route_store", d.routeStore.cacheTtlMs, 1, DAY_MS),
  };

  const m = r.section(raw, "mock_upstream", "", ["enabled", "host", "port"]);
  const mockUpstream = {
    enabled: r.bool(m, "enabled", "mock_upstream", d.mockUpstream.enabled),
    host: r.string(m, "host", "mock_upstream", d.mockUpstream.host),
    port: r.int(m, "port", "mock_upstream", d.mockUpstream.port, 0, 65_535),
  };

  const upstream = readUpstream(r, raw);
  const rt = r.section(raw, "retry", "", [
    "max_attempts",
    "base_delay_ms",
    "max_delay_ms",
    "max_retry_after_ms",
  ]);
  const retry = {
    maxAttempts: r.int(rt, "max_attempts", "retry", d.retry.maxAttempts, 1, 10),
    baseDelayMs: r.int(rt, "base_delay_ms", "retry", d.retry.baseDelayMs, 0, 60_000),
    maxDelayMs: r.int(rt, "max_delay_ms", "retry", d.retry.maxDelayMs, 0, 600_000),
    maxRetryAfterMs: r.int(rt, "max_retry_after_ms", "retry", d.retry.maxRetryAfterMs, 0, 600_000),
  };
  const cb = r.section(raw, "circuit_breaker", "", ["failure_threshold", "cooldown_ms"]);
  const circuitBreaker = {
    failureThreshold: r.int(
      cb,
      "failure_threshold",
      "circuit_breaker",
      d.circuitBreaker.failureThreshold,
      1,
      1000,
    ),
    cooldownMs: r.int(cb, "cooldown_ms", "circuit_breaker", d.circuitBreaker.cooldownMs, 1, DAY_MS),
  };

  const providers = readProviders(r, raw, options.env, mockUpstream.enabled);
  const models = readModels(r, raw, providers);
  const orgs = readOrgs(r, raw, models, options.env);

  if (r.issues.length > 0) throw new ConfigError(r.issues, options.source);
  return {
    server,
    log,
    routeStore,
    mockUpstream,
    upstream,
    retry,
    circuitBreaker,
    providers,
    models,
    orgs,
  };
}

function readUpstream(r: FieldReader, raw: Obj): GatewayConfig["upstream"] {
  const u = r.section(raw, "upstream", "", [
    "connections_per_provider",
    "connect_timeout_ms",
    "headers_timeout_ms",
    "body_timeout_ms",
    "keep_alive_timeout_ms",
  ]);
  const d = DEFAULTS.upstream;
  return {
    connectionsPerProvider: r.int(
      u,
      "connections_per_provider",
      "upstream",
      d.connectionsPerProvider,
      1,
      10_000,
    ),
    connectTimeoutMs: r.int(u, "connect_timeout_ms", "upstream", d.connectTimeoutMs, 1, 600_000),
    headersTimeoutMs: r.int(u, "headers_timeout_ms", "upstream", d.headersTimeoutMs, 1, 3_600_000),
    bodyTimeoutMs: r.int(u, "body_timeout_ms", "upstream", d.bodyTimeoutMs, 1, 3_600_000),
    keepAliveTimeoutMs: r.int(
      u,
      "keep_alive_timeout_ms",
      "upstream",
      d.keepAliveTimeoutMs,
      1,
      3_600_000,
    ),
  };
}
