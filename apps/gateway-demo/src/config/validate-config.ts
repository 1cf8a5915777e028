import { resolve } from "node:path";
import { TTL_TIERS, type TtlTier } from "@switchyard/core";
import { ConfigError } from "./config-error.js";
import { DEFAULTS } from "./defaults.js";
import { FieldReader, isObj, type Obj } from "./field-reader.js";
import { readServer } from "./read-server.js";
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
  "response_cache",
  "prompt_cache",
  "metrics",
  "dashboard",
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

  const server = readServer(r, raw);
  const d = DEFAULTS;

  const l = r.section(raw, "log", "", ["level"]);
  const log = { level: r.oneOf(l, "level", "log", LOG_LEVELS, d.logLevel) };

  const rs = r.section(raw, "route_store", "", [
    "database_url",
    "cache_ttl_ms",
    "stale_if_error_ms",
  ]);
  const databaseUrl = r.string(rs, "database_url", "route_store");
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    r.fail("route_store.database_url", "must be a postgres:// or postgresql:// URL");
  }
  const routeStore = {
    databaseUrl,
    cacheTtlMs: r.int(rs, "cache_ttl_ms", "route_store", d.routeStore.cacheTtlMs, 1, DAY_MS),
    staleIfErrorMs: r.int(
      rs,
      "stale_if_error_ms",
      "route_store",
      d.routeStore.staleIfErrorMs,
      0,
      7 * DAY_MS,
    ),
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

  const responseCache = readResponseCache(r, raw);
  const promptCache = readPromptCache(r, raw);
  const mt = r.section(raw, "metrics", "", ["enabled", "process_metrics"]);
  const metrics = {
    enabled: r.bool(mt, "enabled", "metrics", d.metrics.enabled),
    processMetrics: r.bool(mt, "process_metrics", "metrics", d.metrics.processMetrics),
  };

  const db = r.section(raw, "dashboard", "", ["enabled", "assets_dir"]);
  const dashboard = {
    enabled: r.bool(db, "enabled", "dashboard", d.dashboard.enabled),
    assetsDir: optionalPath(r.string(db, "assets_dir", "dashboard")),
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
    responseCache,
    promptCache,
    metrics,
    dashboard,
    providers,
    models,
    orgs,
  };
}

/** Relative paths are taken from the working directory. */
function optionalPath(path: string | undefined): string | undefined {
  return path === undefined ? undefined : resolve(path);
}

function readResponseCache(r: FieldReader, raw: Obj): GatewayConfig["responseCache"] {
  const path = "response_cache";
  const c = r.section(raw, path, "", ["enabled", "ttl_ms", "max_entries", "max_body_bytes"]);
  const d = DEFAULTS.responseCache;
  return {
    enabled: r.bool(c, "enabled", path, d.enabled),
    ttlMs: r.int(c, "ttl_ms", path, d.ttlMs, 1, 30 * DAY_MS),
    maxEntries: r.int(c, "max_entries", path, d.maxEntries, 1, 10_000_000),
    maxBodyBytes: r.int(c, "max_body_bytes", path, d.maxBodyBytes, 1, 1024 ** 3),
  };
}

function readPromptCache(r: FieldReader, raw: Obj): GatewayConfig["promptCache"] {
  const path = "prompt_cache";
  const c = r.section(raw, path, "", [
    "enabled",
    "redis_url",
    "enabled_ttl_tiers",
    "default_ttl",
    "lookup_timeout_ms",
    "commit_deadline_ms",
    "memory_max_entries",
    "sweep_interval_ms",
    "redis_command_timeout_ms",
    "redis_flush_interval_ms",
  ]);
  const d = DEFAULTS.promptCache;
  const redisUrl = r.string(c, "redis_url", path);
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    r.fail(`${path}.redis_url`, "must be a redis:// or rediss:// URL");
  }
  let tiers: TtlTier[] = [...d.enabledTtlTiers];
  if (c.enabled_ttl_tiers !== undefined && c.enabled_ttl_tiers !== null) {
    const listed = r.array(c, "enabled_ttl_tiers", path);
    const valid = listed.filter((tier): tier is TtlTier =>
      (TTL_TIERS as readonly unknown[]).includes(tier),
    );
    if (listed.length === 0 || valid.length !== listed.length) {
      r.fail(
        `${path}.enabled_ttl_tiers`,
        `must list one or more of ${TTL_TIERS.join(", ")}, got ${JSON.stringify(listed)}`,
      );
    } else tiers = [...new Set(valid)];
  }
  const defaultTtl = r.oneOf(c, "default_ttl", path, TTL_TIERS, d.defaultTtl);
  if (!tiers.includes(defaultTtl)) {
    r.fail(`${path}.default_ttl`, `"${defaultTtl}" must be one of enabled_ttl_tiers`);
  }
  return {
    enabled: r.bool(c, "enabled", path, d.enabled),
    redisUrl,
    enabledTtlTiers: tiers,
    defaultTtl,
    lookupTimeoutMs: r.int(c, "lookup_timeout_ms", path, d.lookupTimeoutMs, 1, 60_000),
    commitDeadlineMs: r.int(c, "commit_deadline_ms", path, d.commitDeadlineMs, 1, 600_000),
    memoryMaxEntries: r.int(c, "memory_max_entries", path, d.memoryMaxEntries, 1, 100_000_000),
    sweepIntervalMs: r.int(c, "sweep_interval_ms", path, d.sweepIntervalMs, 0, DAY_MS),
    redisCommandTimeoutMs: r.int(
      c,
      "redis_command_timeout_ms",
      path,
      d.redisCommandTimeoutMs,
      1,
      60_000,
    ),
    redisFlushIntervalMs: r.int(
      c,
      "redis_flush_interval_ms",
      path,
      d.redisFlushIntervalMs,
      1,
      3_600_000,
    ),
  };
}

function readUpstream(r: FieldReader, raw: Obj): GatewayConfig["upstream"] {
  const u = r.section(raw, "upstream", "", [
    "connections_per_provider",
    "connect_timeout_ms",
    "headers_timeout_ms",
    "body_timeout_ms",
    "keep_alive_timeout_ms",
    "max_response_bytes",
    "max_sse_event_bytes",
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
    maxResponseBytes: r.int(u, "max_response_bytes", "upstream", d.maxResponseBytes, 1024, GIB),
    maxSseEventBytes: r.int(u, "max_sse_event_bytes", "upstream", d.maxSseEventBytes, 1024, GIB),
  };
}

const GIB = 1024 * 1024 * 1024;
