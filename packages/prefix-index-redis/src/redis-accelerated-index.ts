import {
  type CacheEntry,
  type CacheIndex,
  CacheIndexError,
  type CacheMatch,
  CircuitBreaker,
  hashHex,
  type IndexScope,
  type PrefixHash,
  withTimeout,
} from "@switchyard/core";
import { entryValue, parseEntry } from "./entry-value.js";
import { KeyLayout } from "./keys.js";
import {
  type RedisAcceleratedIndexOptions,
  type ResolvedRedisOptions,
  resolveOptions,
} from "./options.js";
import { evalLookup, evalRefresh, pipelineErrors, RedisTimeoutError } from "./redis-calls.js";
import { RefreshQueue } from "./refresh-queue.js";
import { RepairList } from "./repair-list.js";
import type { RedisIndexStats } from "./stats.js";

/** The candidates without repeats (by bytes), in their first order. */
function distinct(hashes: readonly PrefixHash[]): readonly PrefixHash[] {
  if (hashes.length < 2) return hashes;
  const seen = new Set<string>();
  return hashes.filter((h) => {
    const key = hashHex(h);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A `CacheIndex` that answers from Redis and keeps a baseline `CacheIndex`
 * (Postgres) as the source of truth: lookups in one Redis round trip for hits
 * and repeated misses, writes through to the baseline first, refreshes to
 * Redis at once and behind to the baseline. Any Redis failure or slowness
 * falls back to the baseline; callers never see a Redis error.
 */
export class RedisAcceleratedIndex implements CacheIndex {
  private readonly options: ResolvedRedisOptions;
  private readonly keys: KeyLayout;
  private readonly breaker: CircuitBreaker;
  private readonly repairs: RepairList;
  private readonly queue: RefreshQueue;
  private readonly counters = {
    hits: 0,
    misses: 0,
    baselineLookups: 0,
    baselineFallbacks: 0,
    redisErrors: 0,
    redisTimeouts: 0,
    flushes: 0,
    flushedRefreshes: 0,
    flushErrors: 0,
    repairedKeys: 0,
  };
  private ignoreNegativesUntil = 0;
  private closed = false;

  constructor(options: RedisAcceleratedIndexOptions) {
    this.options = resolveOptions(options);
    const o = this.options;
    this.keys = new KeyLayout(o.keyPrefix);
    this.breaker = new CircuitBreaker({
      failureThreshold: o.failureThreshold,
      openMs: o.openMs,
      maxOpenMs: o.maxOpenMs,
    });
    this.repairs = new RepairList(o.maxRepairKeys);
    this.queue = new RefreshQueue(
      o.baseline,
      o.flushIntervalMs,
      o.flushConcurrency,
      this.counters,
      o.onError,
    );
  }

  async lookup(scope: IndexScope, asked: readonly PrefixHash[]): Promise<CacheMatch[]> {
    const candidates = distinct(asked);
    if (candidates.length === 0) return [];
    const { baseline, redis } = this.options;
    if (!this.redisUsable()) return this.fallback(scope, candidates);
    const tag = this.keys.scopeTag(scope);
    const keys = [
      ...candidates.map((h) => this.keys.entry(tag, h)),
      ...candidates.map((h) => this.keys.negative(tag, h)),
    ];
    let answers: string[];
    try {
      answers = await this.call("lookup", evalLookup(redis, keys));
    } catch {
      return this.fallback(scope, candidates);
    }
    const now = Date.now();
    const trustNegatives = now >= this.ignoreNegativesUntil;
    const found: CacheMatch[] = [];
    const unknown: PrefixHash[] = [];
    candidates.forEach((hash, i) => {
      const answer = answers[i] ?? "";
      const match = answer.length > 1 ? parseEntry(answer, hash) : undefined;
      if (match && match.expiresAt.getTime() > now) {
        this.counters.hits++;
        found.push(match);
      } else if (answer === "-" && trustNegatives) this.counters.misses++;
      else unknown.push(hash);
    });
    if (unknown.length === 0) return found;
    this.counters.baselineLookups++;
    const fromBaseline = await baseline.lookup(scope, unknown);
    this.remember(tag, unknown, fromBaseline);
    return found.concat(fromBaseline);
  }

  async write(entry: CacheEntry): Promise<void> {
    await this.options.baseline.write(entry);
    const tag = this.keys.scopeTag(entry.scope);
    const negativeKey = this.keys.negative(tag, entry.prefixHash);
    await this.mirror(this.keys.entry(tag, entry.prefixHash), negativeKey, entry);
  }

  /**
   * Sets the entry's expiry, live or expired, as the baseline's refresh does.
   * When Redis holds a live copy, it slides there at once and the baseline
   * gets it write-behind. Otherwise (the copy expired, as an entry may between
   * the lookup that found it and the commit that refreshes it; Redis never
   * learnt it; or the refresh ends the entry) the baseline is refreshed now
   * and Redis forgets the hash, negative marker included, so the next lookup
   * asks the baseline.
   */
  async refresh(scope: IndexScope, prefixHash: PrefixHash, newExpiresAt: Date): Promise<void> {
    if (!(newExpiresAt instanceof Date) || Number.isNaN(newExpiresAt.getTime())) {
      throw new CacheIndexError(
        `refresh needs a valid Date for newExpiresAt, got ${String(newExpiresAt)}`,
      );
    }
    if (this.closed) return this.options.baseline.refresh(scope, prefixHash, newExpiresAt);
    const tag = this.keys.scopeTag(scope);
    const entryKey = this.keys.entry(tag, prefixHash);
    const expiresAt = newExpiresAt.getTime();
    if (expiresAt > Date.now() && (await this.slide(entryKey, expiresAt)) !== "missing") {
      this.queue.add(entryKey, scope, prefixHash, newExpiresAt);
      return;
    }
    await this.queue.writeNow(entryKey, scope, prefixHash, newExpiresAt);
    await this.mirror(entryKey, this.keys.negative(tag, prefixHash));
  }

  /** Expired rows live only in the baseline (Redis keys expire by themselves). */
  async sweep(olderThan: Date): Promise<number> {
    return (await this.options.baseline.sweep?.(olderThan)) ?? 0;
  }

  /** Writes every pending refresh to the baseline now. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  stats(): RedisIndexStats {
    return {
      ...this.counters,
      breakerState: this.breaker.state,
      breakerOpens: this.breaker.opens,
      pendingRefreshes: this.queue.size,
    };
  }

  /** Flushes pending refreshes to the baseline. Never closes the Redis client or the baseline. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.close();
  }

  /**
   * Slides the Redis copy's expiry: "slid", "missing" (Redis holds no copy)
   * or "unknown" (Redis failed or is skipped: the key goes on the repair list).
   */
  private async slide(
    entryKey: string,
    expiresAt: number,
  ): Promise<"slid" | "missing" | "unknown"> {
    if (this.redisUsable()) {
      try {
        const held = await this.call(
          "refresh",
          evalRefresh(this.options.redis, entryKey, expiresAt),
        );
        return held === 1 ? "slid" : "missing";
      } catch {}
    }
    this.repairs.add(entryKey);
    return "unknown";
  }

  /**
   * After the baseline changed: Redis holds the entry's copy until its expiry
   * (or forgets it when there is no live entry to copy) and forgets the
   * negative marker. Keys Redis could not be told about go on the repair list.
   */
  private async mirror(entryKey: string, negativeKey: string, entry?: CacheEntry): Promise<void> {
    if (!this.redisUsable()) return this.repairs.add(entryKey, negativeKey);
    const pipeline = this.options.redis.pipeline();
    const expiresAt = entry?.expiresAt.getTime() ?? 0;
    if (entry && expiresAt > Date.now()) {
      pipeline.set(entryKey, entryValue(entry), "PXAT", expiresAt);
    } else pipeline.del(entryKey);
    pipeline.del(negativeKey);
    try {
      pipelineErrors(await this.call("write", pipeline.exec()));
    } catch {
      this.repairs.add(entryKey, negativeKey);
    }
  }

  private fallback(scope: IndexScope, candidates: readonly PrefixHash[]): Promise<CacheMatch[]> {
    this.counters.baselineFallbacks++;
    return this.options.baseline.lookup(scope, candidates);
  }

  /** Copies what the baseline answered into Redis: entries until their expiry, misses as short negative markers. */
  private remember(
    tag: string,
    asked: readonly PrefixHash[],
    matches: readonly CacheMatch[],
  ): void {
    const pipeline = this.options.redis.pipeline();
    const matched = new Set(matches.map((m) => hashHex(m.prefixHash)));
    const now = Date.now();
    for (const match of matches) {
      const expiresAt = match.expiresAt.getTime();
      if (expiresAt <= now) continue;
      pipeline.set(
        this.keys.entry(tag, match.prefixHash),
        entryValue(match),
        "PXAT",
        expiresAt,
        "NX",
      );
    }
    for (const hash of asked) {
      if (matched.has(hashHex(hash))) continue;
      pipeline.set(this.keys.negative(tag, hash), "1", "PX", this.options.negativeTtlMs, "NX");
    }
    this.call("remember", pipeline.exec())
      .then(pipelineErrors)
      .catch(() => {});
  }

  /**
   * Closed: use Redis. Otherwise the call that claims the probe starts it in
   * the background; the caller itself goes to the baseline.
   */
  private redisUsable(): boolean {
    if (this.breaker.state === "closed") return true;
    if (this.breaker.allow()) void this.probe();
    return false;
  }

  /** Checks Redis answers, deletes what may be stale from the outage, then closes the breaker. */
  private async probe(): Promise<void> {
    const { redis, commandTimeoutMs, negativeTtlMs } = this.options;
    const { keys, overflowed } = this.repairs.take();
    try {
      await withTimeout(
        redis.ping(),
        commandTimeoutMs,
        () => new RedisTimeoutError("probe", commandTimeoutMs),
      );
      for (let i = 0; i < keys.length; i += 100) {
        const chunk = keys.slice(i, i + 100);
        await withTimeout(
          Promise.all(chunk.map((key) => redis.unlink(key))),
          commandTimeoutMs * 10,
          () => new RedisTimeoutError("repair", commandTimeoutMs * 10),
        );
        this.counters.repairedKeys += chunk.length;
      }
      if (overflowed) this.ignoreNegativesUntil = Date.now() + negativeTtlMs;
      this.breaker.success();
    } catch (error) {
      this.repairs.restore(keys, overflowed);
      this.breaker.failure();
      this.options.onError(error, "probe");
    }
  }

  /**
   * Every Redis call: bounded by the timeout, counted, and fed to the
   * breaker while it is closed. Late answers while it is not change
   * nothing: only the probe (after its repair) closes it.
   */
  private async call<T>(operation: string, promise: Promise<T>): Promise<T> {
    try {
      const ms = this.options.commandTimeoutMs;
      const value = await withTimeout(promise, ms, () => new RedisTimeoutError(operation, ms));
      if (this.breaker.state === "closed") this.breaker.success();
      return value;
    } catch (error) {
      this.counters.redisErrors++;
      if (error instanceof RedisTimeoutError) this.counters.redisTimeouts++;
      if (this.breaker.state === "closed") this.breaker.failure();
      this.options.onError(error, operation);
      throw error;
    }
  }
}
