import { type GetStatus, L1Cache, type L1CacheStats } from "@switchyard/cache-l1";
import type { ResponseCacheConfig } from "../config/types.js";

/** A complete non-streamed answer in the client's dialect, as stored and replayed. */
export interface CachedAnswer {
  /** The JSON body exactly as the client receives it. */
  readonly body: string | Buffer;
  /** The catalog model that answered. */
  readonly modelUsed: string;
  /** Text answer, finished (`stop` / `end_turn` / `length` ...), no tool call, within the size bound. */
  readonly cacheable: boolean;
}

export interface ResponseCacheCounters {
  hits: number;
  coalesced: number;
  misses: number;
  bypasses: number;
  stored: number;
  notStored: number;
}

export type CacheRole = "hit" | "coalesced" | "miss";

type Loader<V> = (signal: AbortSignal) => Promise<V>;

/**
 * The exact response cache on `@switchyard/cache-l1`: fresh answers from
 * memory; identical concurrent requests share one load (single-flight), so
 * they make one upstream call; a failed load is never cached and its error
 * goes to every caller that joined it; an uncacheable answer (a tool call,
 * too large) is handed to the callers that joined its load but never stored
 * (it is invalidated during its own load, which L1Cache guarantees is not
 * cached). Each request's upstream call is the `context` of its `get`, which
 * L1Cache runs only for the request that starts the load; the `status` of
 * the `get` tells a hit from a joined load.
 */
export class ResponseCache<V extends CachedAnswer = CachedAnswer> {
  readonly counters: ResponseCacheCounters = {
    hits: 0,
    coalesced: 0,
    misses: 0,
    bypasses: 0,
    stored: 0,
    notStored: 0,
  };
  private readonly l1: L1Cache<string, V, Loader<V>>;

  constructor(config: ResponseCacheConfig) {
    this.l1 = new L1Cache<string, V, Loader<V>>(
      (key, { signal, context }) => this.load(key, context, signal),
      {
        ttlMs: config.ttlMs,
        maxEntries: config.maxEntries,
      },
    );
  }

  /** A fresh stored answer, synchronously (streams use it: they never wait for a load). */
  peek(key: string): V | undefined {
    return this.l1.peek(key);
  }

  /**
   * The stored answer, or joins the identical request in flight, or runs
   * `loader` (with a signal aborted only when every caller has left).
   */
  async get(
    key: string,
    loader: Loader<V>,
    signal: AbortSignal | undefined,
  ): Promise<{ answer: V; role: CacheRole }> {
    const status: GetStatus = {};
    const pending = this.l1.get(key, { context: loader, signal, status });
    // Set before get returns. "stale" cannot happen (no stale-while-revalidate); it would be served from memory.
    const role: CacheRole =
      status.result === "miss" || status.result === "coalesced" ? status.result : "hit";
    this.counters[role === "miss" ? "misses" : role === "hit" ? "hits" : "coalesced"]++;
    return { answer: await pending, role };
  }

  stats(): L1CacheStats {
    return this.l1.stats();
  }

  close(): Promise<void> {
    return this.l1.close();
  }

  /** The load of the request that missed: its own upstream call (`loader`), shared by every request that joins it. */
  private async load(key: string, loader: Loader<V>, signal: AbortSignal): Promise<V> {
    const answer = await loader(signal);
    if (answer.cacheable) this.counters.stored++;
    else {
      this.counters.notStored++;
      this.l1.invalidate(key); // hand it to this load's callers, never store it
    }
    return answer;
  }
}
