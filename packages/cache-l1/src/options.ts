import { InvalidCacheOptionsError } from "./errors.js";

export interface L1CacheOptions {
  /** How long a loaded value is fresh. `Infinity` never expires; any length works (no timers). Default 60,000. */
  ttlMs?: number;
  /** Most entries held; beyond it SIEVE evicts (expired entries first). Default 10,000. */
  maxEntries?: number;
  /** TTL spread as a fraction: each entry lives ttl × (1 ± jitter). 0 turns it off. Default 0.1. */
  jitter?: number;
  /** How long a load that resolved `undefined` (the source's "not found") is cached. 0 (default): not cached. */
  negativeTtlMs?: number;
  /** After expiry, serve the stale value this long while one background load refreshes it. Default 0 (off). */
  staleWhileRevalidateMs?: number;
  /** After expiry, serve the stale value this long when its reload fails. Default 0 (off). */
  staleIfErrorMs?: number;
  /** Reject a load's callers with `LoadTimeoutError` after this long and abort it. Default 0 (no timeout). */
  loadTimeoutMs?: number;
  /** Clock in ms for tests; the default is a shared coarse clock (5 ms resolution, no per-entry timers). */
  now?: () => number;
}

export interface ResolvedOptions {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly jitter: number;
  readonly negativeTtlMs: number;
  readonly staleWhileRevalidateMs: number;
  readonly staleIfErrorMs: number;
  readonly loadTimeoutMs: number;
  readonly now: (() => number) | undefined;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
    throw new InvalidCacheOptionsError(name, `must be a number >= 0, got ${String(value)}`);
  }
  return value;
}

/** Validates once at construction; every later read is a plain field. */
export function resolveOptions(options: L1CacheOptions = {}): ResolvedOptions {
  const ttlMs = nonNegative("ttlMs", options.ttlMs, 60_000);
  const maxEntries = nonNegative("maxEntries", options.maxEntries, 10_000);
  if (
    maxEntries < 1 ||
    (maxEntries !== Number.POSITIVE_INFINITY && !Number.isInteger(maxEntries))
  ) {
    throw new InvalidCacheOptionsError(
      "maxEntries",
      `must be a whole number >= 1 or Infinity, got ${maxEntries}`,
    );
  }
  const jitter = nonNegative("jitter", options.jitter, 0.1);
  if (jitter >= 1)
    throw new InvalidCacheOptionsError("jitter", `must be below 1 (a fraction), got ${jitter}`);
  const loadTimeoutMs = nonNegative("loadTimeoutMs", options.loadTimeoutMs, 0);
  if (loadTimeoutMs > 2_147_483_647) {
    throw new InvalidCacheOptionsError(
      "loadTimeoutMs",
      "must be at most 2147483647 (about 24.8 days)",
    );
  }
  if (options.now !== undefined && typeof options.now !== "function") {
    throw new InvalidCacheOptionsError("now", "must be a function returning milliseconds");
  }
  return {
    ttlMs,
    maxEntries,
    jitter,
    negativeTtlMs: nonNegative("negativeTtlMs", options.negativeTtlMs, 0),
    staleWhileRevalidateMs: nonNegative(
      "staleWhileRevalidateMs",
      options.staleWhileRevalidateMs,
      0,
    ),
    staleIfErrorMs: nonNegative("staleIfErrorMs", options.staleIfErrorMs, 0),
    loadTimeoutMs,
    now: options.now,
  };
}
