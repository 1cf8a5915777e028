import type { CacheIndex } from "@switchyard/core";
import { SwitchyardError } from "@switchyard/core";
import type { Cluster, Redis } from "ioredis";

export interface RedisAcceleratedIndexOptions {
  /** The source of truth (e.g. `PostgresCacheIndex`). Always written first; read when Redis cannot answer. */
  baseline: CacheIndex;
  /** Your ioredis client, standalone or Cluster. Never closed by the accelerator. */
  redis: Redis | Cluster;
  /** Prefix of every key. Default `"sy:pc:"`. */
  keyPrefix?: string;
  /** Longest wait for any Redis call before falling back to the baseline. Default 50 ms. */
  commandTimeoutMs?: number;
  /** How long Redis remembers "not in the baseline" for a candidate hash. Default 60,000 ms. */
  negativeTtlMs?: number;
  /** Write-behind period of refreshes to the baseline (at most one write per entry per period). Default 1,000 ms. */
  flushIntervalMs?: number;
  /** Baseline refreshes run at once during a flush. Default 16. */
  flushConcurrency?: number;
  /** Consecutive Redis failures that open the circuit breaker. Default 3. */
  failureThreshold?: number;
  /** First open period before a probe; doubles on each failed probe up to `maxOpenMs`. Default 500 ms. */
  openMs?: number;
  /** Longest open period. Default 30,000 ms. */
  maxOpenMs?: number;
  /** Keys remembered for repair while Redis is unavailable. Default 10,000. */
  maxRepairKeys?: number;
  /** Told about Redis and flush failures (they never reach callers). Default: silent. */
  onError?: (error: unknown, operation: string) => void;
}

export interface ResolvedRedisOptions {
  readonly baseline: CacheIndex;
  readonly redis: Redis | Cluster;
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly negativeTtlMs: number;
  readonly flushIntervalMs: number;
  readonly flushConcurrency: number;
  readonly failureThreshold: number;
  readonly openMs: number;
  readonly maxOpenMs: number;
  readonly maxRepairKeys: number;
  readonly onError: (error: unknown, operation: string) => void;
}

/** An option failed validation at construction. */
export class RedisIndexOptionsError extends SwitchyardError {
  static readonly code = "E_INVALID_REDIS_INDEX_OPTIONS";

  constructor(message: string) {
    super(RedisIndexOptionsError.code, message);
  }
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RedisIndexOptionsError(
      `RedisAcceleratedIndex option ${name} must be a number > 0, got ${String(value)}`,
    );
  }
  return value;
}

export function resolveOptions(options: RedisAcceleratedIndexOptions): ResolvedRedisOptions {
  const { baseline, redis } = options ?? ({} as RedisAcceleratedIndexOptions);
  if (!baseline || typeof baseline.lookup !== "function" || typeof baseline.write !== "function") {
    throw new RedisIndexOptionsError(
      "RedisAcceleratedIndex needs a baseline CacheIndex: { baseline, redis }",
    );
  }
  if (!redis || typeof (redis as Redis).evalsha !== "function") {
    throw new RedisIndexOptionsError(
      "RedisAcceleratedIndex needs your ioredis client (Redis or Cluster): { baseline, redis }",
    );
  }
  const openMs = positive("openMs", options.openMs, 500);
  const maxOpenMs = positive("maxOpenMs", options.maxOpenMs, 30_000);
  if (maxOpenMs < openMs) {
    throw new RedisIndexOptionsError(
      `RedisAcceleratedIndex option maxOpenMs (${maxOpenMs}) must be >= openMs (${openMs})`,
    );
  }
  return {
    baseline,
    redis,
    keyPrefix: options.keyPrefix ?? "sy:pc:",
    commandTimeoutMs: positive("commandTimeoutMs", options.commandTimeoutMs, 50),
    negativeTtlMs: Math.round(positive("negativeTtlMs", options.negativeTtlMs, 60_000)),
    flushIntervalMs: positive("flushIntervalMs", options.flushIntervalMs, 1_000),
    flushConcurrency: Math.round(positive("flushConcurrency", options.flushConcurrency, 16)),
    failureThreshold: Math.max(
      1,
      Math.round(positive("failureThreshold", options.failureThreshold, 3)),
    ),
    openMs,
    maxOpenMs,
    maxRepairKeys: Math.round(positive("maxRepairKeys", options.maxRepairKeys, 10_000)),
    onError: options.onError ?? (() => {}),
  };
}
