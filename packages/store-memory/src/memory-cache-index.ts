import {
  type CacheEntry,
  type CacheIndex,
  CacheIndexError,
  type CacheMatch,
  hashHex,
  type IndexScope,
  isTtlTier,
  isUuid,
  type PrefixHash,
  type TtlTier,
} from "@switchyard/core";
import { MemoryStoreOptionsError } from "./errors.js";
import { ExpiryHeap, type HeapNode } from "./expiry-heap.js";
import { consoleLogger, type MemoryStoreLogger } from "./logger.js";

/** Bytes of a prefix hash (SHA-256). */
export const PREFIX_HASH_BYTES = 32;
/** The largest stored token count (the Postgres index's `int` column); larger counts are clamped. */
export const TOKEN_COUNT_MAX = 2_147_483_647;
/** Default {@link MemoryCacheIndexOptions.maxEntries}. */
export const DEFAULT_MAX_ENTRIES = 100_000;

export interface MemoryCacheIndexOptions {
  /**
   * Most entries held. Writing a new entry beyond it evicts the entry with the
   * earliest expiry: expired entries first (they have the earliest), then the
   * live entry that would expire soonest; ties go to the least recently
   * written or refreshed. Default 100,000.
   */
  maxEntries?: number;
  /** The clock, in ms since the epoch: what "live" (`expiresAt > now`) and `sweep` compare with. Default `Date.now`. */
  now?: () => number;
  /** Told when a token count is clamped to 0..2147483647. Default: `console.warn`. */
  logger?: MemoryStoreLogger;
}

/** Counters of a {@link MemoryCacheIndex}, for tests and metrics. */
export interface MemoryCacheIndexStats {
  /** Entries held now (expired ones not yet removed included). */
  readonly entries: number;
  /** Entries removed to stay within `maxEntries` (expired or live). */
  readonly evictions: number;
  /**
   * Times a lookup met an expired entry (it did not match). The entry stays
   * until `sweep` or eviction removes it, so a refresh can still revive it.
   */
  readonly expiredOnRead: number;
  /** Entries removed by `sweep`. */
  readonly swept: number;
}

interface Stored {
  readonly key: string;
  readonly hash: Uint8Array;
  count: number;
  tier: TtlTier;
  expiresAt: number;
  /** Bumped on every write and refresh; heap nodes carrying an older one are outdated. */
  version: number;
}

function isPrefixHash(value: unknown): value is PrefixHash {
  return value instanceof Uint8Array && value.byteLength === PREFIX_HASH_BYTES;
}

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  return value === null ? "null" : typeof value;
}

/** A scope's part of the key: a JSON array, so no two scopes share a key prefix. */
function scopeKey(scope: IndexScope): string {
  const principal = scope.principalId;
  return JSON.stringify([
    isUuid(principal) ? principal.toLowerCase() : principal,
    scope.virtualModel,
    scope.tokenizerVersion,
  ]);
}

function time(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number.NaN;
}

/** A token count as the Postgres index stores it: an integer in 0..2147483647. */
export function clampTokenCount(count: number): number {
  if (Number.isNaN(count)) return 0;
  return Math.min(TOKEN_COUNT_MAX, Math.max(0, Math.trunc(count)));
}

/**
 * A bounded, in-process `CacheIndex` (the prompt-prefix index of
 * `@switchyard/prefix-index`): a Map keyed by scope and hash bytes, plus a
 * min-heap on expiry for eviction and `sweep`. Expired entries never match;
 * they stay until `sweep` or eviction (expired first) removes them, so a
 * refresh revives an entry that expired after the lookup that found it, as
 * the Postgres index does. Hashes and dates are copied in and out. For tests, development and single-process gateways; entries are
 * lost on restart, which only means "miss, full price".
 */
export class MemoryCacheIndex implements CacheIndex {
  readonly #entries = new Map<string, Stored>();
  readonly #heap = new ExpiryHeap<Stored>();
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #logger: MemoryStoreLogger;
  #version = 0;
  #evictions = 0;
  #expiredOnRead = 0;
  #swept = 0;

  constructor(options: MemoryCacheIndexOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new MemoryStoreOptionsError(
        `maxEntries must be a positive integer, got ${String(maxEntries)}`,
      );
    }
    const now = options.now ?? Date.now;
    if (typeof now !== "function") {
      throw new MemoryStoreOptionsError("now must be a function returning ms since the epoch");
    }
    const logger = options.logger ?? consoleLogger;
    if (typeof logger?.warn !== "function") {
      throw new MemoryStoreOptionsError("logger must have a warn(message, context) method");
    }
    this.#maxEntries = maxEntries;
    this.#now = now;
    this.#logger = logger;
  }

  /** Entries held now (expired ones not yet removed included). */
  get size(): number {
    return this.#entries.size;
  }

  stats(): MemoryCacheIndexStats {
    return {
      entries: this.#entries.size,
      evictions: this.#evictions,
      expiredOnRead: this.#expiredOnRead,
      swept: this.#swept,
    };
  }

  /**
   * The live entries (`expiresAt > now`) of this scope among the candidates,
   * each once. Candidates that are not 32-byte Uint8Arrays never match.
   */
  async lookup(scope: IndexScope, candidates: readonly PrefixHash[]): Promise<CacheMatch[]> {
    if (candidates.length === 0) return [];
    const now = this.#now();
    const prefix = scopeKey(scope);
    const matches: CacheMatch[] = [];
    const found = new Set<Stored>();
    for (const candidate of candidates) {
      if (!isPrefixHash(candidate)) continue;
      const stored = this.#entries.get(prefix + hashHex(candidate));
      if (stored === undefined || found.has(stored)) continue;
      if (stored.expiresAt <= now) {
        this.#expiredOnRead++;
        continue;
      }
      found.add(stored);
      matches.push({
        prefixHash: new Uint8Array(stored.hash),
        cumulativeTokenCount: stored.count,
        ttlTier: stored.tier,
        expiresAt: new Date(stored.expiresAt),
      });
    }
    return matches;
  }

  /**
   * Upsert on (scope, hash): a rewrite replaces count, tier and expiry. Rejects
   * with `CacheIndexError` for a hash that is not 32 bytes, an unknown tier or
   * an invalid date; clamps the count to 0..2147483647.
   */
  async write(entry: CacheEntry): Promise<void> {
    const hash = entry?.prefixHash;
    if (!isPrefixHash(hash)) {
      throw new CacheIndexError(
        `memory cache index: write needs a ${PREFIX_HASH_BYTES}-byte prefixHash, got ${describe(hash)}`,
      );
    }
    if (!isTtlTier(entry.ttlTier)) {
      throw new CacheIndexError(
        `memory cache index: write needs ttlTier "5m", "1h" or "24h", got ${JSON.stringify(entry.ttlTier)}`,
      );
    }
    const expiresAt = time(entry.expiresAt);
    if (!Number.isFinite(expiresAt)) {
      throw new CacheIndexError("memory cache index: write needs expiresAt as a valid Date");
    }
    const count = this.#count(entry.cumulativeTokenCount);
    const key = scopeKey(entry.scope) + hashHex(hash);
    let stored = this.#entries.get(key);
    if (stored === undefined) {
      stored = {
        key,
        hash: new Uint8Array(hash),
        count,
        tier: entry.ttlTier,
        expiresAt,
        version: 0,
      };
      this.#entries.set(key, stored);
    } else {
      stored.count = count;
      stored.tier = entry.ttlTier;
      stored.expiresAt = expiresAt;
    }
    this.#track(stored);
    while (this.#entries.size > this.#maxEntries) this.#evictEarliest();
  }

  /**
   * Sets the entry's expiry (the sliding window: callers pass now + tier),
   * live or expired: an entry not yet swept or evicted is revived by a later
   * expiry. A missing entry, or a hash that is not 32 bytes, is a no-op. Rejects with
   * `CacheIndexError` for an invalid date.
   */
  async refresh(scope: IndexScope, prefixHash: PrefixHash, newExpiresAt: Date): Promise<void> {
    const expiresAt = time(newExpiresAt);
    if (!Number.isFinite(expiresAt)) {
      throw new CacheIndexError("memory cache index: refresh needs newExpiresAt as a valid Date");
    }
    if (!isPrefixHash(prefixHash)) return;
    const stored = this.#entries.get(scopeKey(scope) + hashHex(prefixHash));
    if (stored === undefined) return;
    stored.expiresAt = expiresAt;
    this.#track(stored);
  }

  /**
   * Deletes the entries that expired before `olderThan` (`expiresAt <
   * olderThan`), in every scope, and returns how many. A cutoff later than
   * now is treated as now: a live entry is never swept.
   */
  async sweep(olderThan: Date): Promise<number> {
    const requested = time(olderThan);
    if (Number.isNaN(requested)) {
      throw new CacheIndexError("memory cache index: sweep needs olderThan as a valid Date");
    }
    const cutoff = Math.min(requested, this.#now());
    let removed = 0;
    for (;;) {
      const node = this.#heap.peek();
      if (node === undefined || node.expiresAt >= cutoff) break;
      this.#heap.pop();
      if (this.#isCurrent(node)) {
        this.#entries.delete(node.item.key);
        removed++;
      }
    }
    this.#swept += removed;
    return removed;
  }

  /** Removes every entry (counters stay). */
  clear(): void {
    this.#entries.clear();
    this.#heap.clear();
  }

  #count(count: number): number {
    const stored = clampTokenCount(count);
    if (stored !== count) {
      this.#logger.warn(
        `memory cache index: cumulativeTokenCount ${String(count)} is not an integer in 0..${TOKEN_COUNT_MAX}; stored as ${stored}`,
        { cumulativeTokenCount: count, stored },
      );
    }
    return stored;
  }

  /** A heap node for the entry's current expiry; compacts the heap when outdated nodes dominate. */
  #track(stored: Stored): void {
    stored.version = ++this.#version;
    this.#heap.push({ expiresAt: stored.expiresAt, version: stored.version, item: stored });
    if (this.#heap.size > 2 * this.#entries.size + 1024) {
      const nodes: HeapNode<Stored>[] = [];
      for (const entry of this.#entries.values()) {
        nodes.push({ expiresAt: entry.expiresAt, version: entry.version, item: entry });
      }
      this.#heap.rebuild(nodes);
    }
  }

  #isCurrent(node: HeapNode<Stored>): boolean {
    const stored = node.item;
    return stored.version === node.version && this.#entries.get(stored.key) === stored;
  }

  #evictEarliest(): void {
    for (;;) {
      const node = this.#heap.pop();
      if (node === undefined) return;
      if (this.#isCurrent(node)) {
        this.#entries.delete(node.item.key);
        this.#evictions++;
        return;
      }
    }
  }
}

/** Creates an empty {@link MemoryCacheIndex}. */
export function createMemoryCacheIndex(options: MemoryCacheIndexOptions = {}): MemoryCacheIndex {
  return new MemoryCacheIndex(options);
}
