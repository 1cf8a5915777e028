import type { CacheSource } from "@switchyard/core";
import { acquireClock, coarseNow, refreshNow, releaseClock } from "./coarse-clock.js";
import { EntryTable } from "./entry-table.js";
import { CacheClosedError, LoadTimeoutError } from "./errors.js";
import { Flight } from "./flight.js";
import type { GetArguments, GetOptions, GetStatus, LoadFunction } from "./get-options.js";
import { type L1CacheOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { emptyStats, type L1CacheStats } from "./stats.js";

/**
 * In-process cache-aside over a {@link CacheSource}: fresh values from memory,
 * concurrent misses of one key share one load and its outcome, invalidation
 * during a load is never lost, errors are never cached. `C` is the type of
 * the per-call `context` a `get` hands to the loader.
 */
export class L1Cache<K, V, C = unknown> {
  private readonly load: LoadFunction<K, V, C>;
  private readonly options: ResolvedOptions;
  private readonly table: EntryTable<K, V>;
  private inflight = new Map<K, Flight<V>>();
  private readonly counters = emptyStats();
  private readonly now: () => number;
  private readonly exactNow: () => number;
  private closed = false;

  constructor(source: CacheSource<K, V> | LoadFunction<K, V, C>, options?: L1CacheOptions) {
    this.load = typeof source === "function" ? source : (key, ctx) => source.load(key, ctx);
    this.options = resolveOptions(options);
    const grace = Math.max(this.options.staleWhileRevalidateMs, this.options.staleIfErrorMs);
    this.table = new EntryTable(this.options.maxEntries, grace);
    if (this.options.now) {
      this.now = this.options.now;
      this.exactNow = this.options.now;
    } else {
      acquireClock();
      this.now = coarseNow;
      this.exactNow = refreshNow;
    }
  }

  /** Entries held now. */
  get size(): number {
    return this.table.size;
  }

  /** The fresh cached value, or `undefined`; never loads, never awaits. */
  peek(key: K): V | undefined {
    const slot = this.table.slotOf(key);
    if (slot !== undefined && this.table.hit(slot, this.now())) {
      this.counters.hits++;
      return this.table.valueAt(slot);
    }
    this.counters.misses++;
    return undefined;
  }

  /**
   * The fresh value from memory, else one shared load through the source.
   * `context` reaches the loader only when this call starts the load;
   * `status` is filled in with how the call was answered.
   */
  get(key: K, ...options: GetArguments<C>): Promise<V>;
  get(key: K, options?: GetOptions<C>): Promise<V> {
    const slot = this.table.slotOf(key);
    if (slot !== undefined) {
      const now = this.now();
      if (this.table.hit(slot, now)) {
        this.counters.hits++;
        if (options?.status !== undefined) options.status.result = "hit";
        return Promise.resolve(this.table.valueAt(slot));
      }
      const freshUntil = this.table.freshUntilAt(slot);
      if (now < freshUntil + this.options.staleWhileRevalidateMs && !this.closed) {
        this.counters.staleHits++;
        if (options?.status !== undefined) options.status.result = "stale";
        if (!this.inflight.has(key)) this.startLoad(key, true, options?.context);
        return Promise.resolve(this.table.valueAt(slot));
      }
    }
    this.counters.misses++;
    const status = options?.status;
    if (this.closed) {
      if (status !== undefined) {
        status.result = "miss";
        status.settled = "error";
      }
      return Promise.reject(new CacheClosedError());
    }
    let flight = this.inflight.get(key);
    if (flight) {
      this.counters.coalesced++;
      if (status !== undefined) status.result = "coalesced";
    } else {
      if (status !== undefined) status.result = "miss";
      flight = this.startLoad(key, false, options?.context);
    }
    const joined = this.join(key, flight, options?.signal);
    return status === undefined ? joined : this.record(joined, flight, status, options?.signal);
  }

  /** Stores a value as if loaded now; a load in flight for the key will not overwrite it. */
  set(key: K, value: V): void {
    if (this.closed) return;
    this.detach(key);
    this.store(key, value, this.options.ttlMs);
  }

  /** Drops the key; a load in flight for it is handed to its callers but not cached. */
  invalidate(key: K): boolean {
    this.detach(key);
    return this.table.delete(key);
  }

  /** Drops everything in O(1); loads in flight are handed to their callers but not cached. */
  clear(): void {
    for (const flight of this.inflight.values()) flight.detached = true;
    this.inflight = new Map();
    this.table.clear();
  }

  stats(): L1CacheStats {
    return { ...this.counters, size: this.table.size };
  }

  /** Ends every load in flight (callers get `CacheClosedError`) and stops the shared clock use. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new CacheClosedError();
    for (const flight of this.inflight.values()) this.fail(undefined, flight, error);
    this.inflight = new Map();
    this.table.clear();
    if (!this.options.now) releaseClock();
  }

  private detach(key: K): void {
    const flight = this.inflight.get(key);
    if (flight === undefined) return;
    flight.detached = true;
    this.inflight.delete(key);
  }

  private startLoad(key: K, background: boolean, context: C | undefined): Flight<V> {
    const flight = new Flight<V>(background);
    this.inflight.set(key, flight);
    this.counters.loads++;
    this.counters.inFlight++;
    const timeoutMs = this.options.loadTimeoutMs;
    if (timeoutMs > 0) {
      flight.timer = setTimeout(() => {
        this.counters.loadTimeouts++;
        this.fail(key, flight, new LoadTimeoutError(key, timeoutMs));
      }, timeoutMs);
      flight.timer.unref?.();
    }
    let result: Promise<V> | V;
    try {
      result = this.load(key, { signal: flight.controller.signal, context: context as C });
    } catch (error) {
      result = Promise.reject(error);
    }
    Promise.resolve(result).then(
      (value) => this.succeed(key, flight, value),
      (error: unknown) => this.fail(key, flight, error),
    );
    return flight;
  }

  private settle(key: K | undefined, flight: Flight<V>): boolean {
    if (!flight.finish()) return false;
    this.counters.inFlight--;
    if (key !== undefined && this.inflight.get(key) === flight) this.inflight.delete(key);
    return true;
  }

  private succeed(key: K, flight: Flight<V>, value: V): void {
    if (!this.settle(key, flight)) return;
    if (flight.detached || this.closed) this.counters.discardedLoads++;
    else if (value !== undefined) this.store(key, value, this.options.ttlMs);
    else if (this.options.negativeTtlMs > 0) this.store(key, value, this.options.negativeTtlMs);
    flight.resolve(value);
  }

  private fail(key: K | undefined, flight: Flight<V>, error: unknown): void {
    if (!this.settle(key, flight)) return;
    this.counters.loadErrors++;
    flight.controller.abort(error);
    const stale = key === undefined || flight.detached ? undefined : this.staleIfError(key);
    if (stale !== undefined) {
      this.counters.staleIfErrorHits++;
      flight.servedStale = true;
      flight.resolve(this.table.valueAt(stale));
    } else flight.reject(error);
  }

  private staleIfError(key: K): number | undefined {
    const slot = this.table.slotOf(key);
    if (slot === undefined || this.options.staleIfErrorMs === 0) return undefined;
    const until = this.table.freshUntilAt(slot) + this.options.staleIfErrorMs;
    return this.exactNow() < until ? slot : undefined;
  }

  private store(key: K, value: V, ttlMs: number): void {
    const now = this.exactNow();
    const jitter = this.options.jitter;
    const ttl = jitter > 0 ? ttlMs * (1 + jitter * (2 * Math.random() - 1)) : ttlMs;
    const { evicted, expired } = this.table.set(key, value, now + ttl, now);
    this.counters.evictions += evicted;
    this.counters.expirations += expired;
  }

  private join(key: K, flight: Flight<V>, signal: AbortSignal | undefined): Promise<V> {
    flight.waiters++;
    if (signal === undefined) return flight.promise;
    if (signal.aborted) {
      this.leave(key, flight);
      return Promise.reject(signal.reason);
    }
    return new Promise<V>((resolve, reject) => {
      const onAbort = () => {
        this.leave(key, flight);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      flight.promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }

  /** Fills in `status.settled` before the caller's promise settles. */
  private record(
    joined: Promise<V>,
    flight: Flight<V>,
    status: GetStatus,
    signal: AbortSignal | undefined,
  ): Promise<V> {
    return joined.then(
      (value) => {
        status.settled = flight.servedStale ? "staleIfError" : "loaded";
        return value;
      },
      (error: unknown) => {
        const left = signal?.aborted === true && error === signal.reason;
        status.settled = left ? "aborted" : "error";
        throw error;
      },
    );
  }

  /** A caller aborted; when it was the last one waiting, the load itself is aborted. */
  private leave(key: K, flight: Flight<V>): void {
    flight.waiters--;
    this.counters.aborted++;
    if (flight.waiters > 0 || flight.background || !this.settle(key, flight)) return;
    this.counters.abandonedLoads++;
    const reason = new DOMException("every caller of this cache load aborted", "AbortError");
    flight.controller.abort(reason);
    flight.reject(reason);
  }
}
