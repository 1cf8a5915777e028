import { L1Cache, type L1CacheStats } from "@switchyard/cache-l1";
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
 * cached).
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
  private readonly l1: L1Cache<string, V>;
  /** The loader of the `get` being called right now (L1Cache starts a load synchronously). */
  private nextLoader: Loader<V> | undefined;
  /** Keys with a load in flight, to tell a coalesced caller from a hit. */
  private readonly loading = new Set<string>();

  constructor(config: ResponseCacheConfig) {
    this.l1 = new L1Cache<string, V>((key, { signal }) => this.load(key, signal), {
      ttlMs: config.ttlMs,
      maxEntries: config.maxEntries,
    });
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
    const joining = this.loading.has(key);
    let started = false;
    this.nextLoader = (loadSignal) => {
      started = true;
      return loader(loadSignal);
    };
    let pending: Promise<V>;
    try {
      pending = this.l1.get(key, { signal });
    } finally {
      this.nextLoader = undefined;
    }
    const role: CacheRole = started ? "miss" : joining ? "coalesced" : "hit";
    this.counters[role === "miss" ? "misses" : role === "hit" ? "hits" : "coalesced"]++;
    return { answer: await pending, role };
  }

  stats(): L1CacheStats {
    return this.l1.stats();
  }

  close(): Promise<void> {
    return this.l1.close();
  }

  private load(key: string, signal: AbortSignal): Promise<V> {
    const loader = this.nextLoader;
    this.nextLoader = undefined;
    if (loader === undefined)
      return Promise.reject(new Error("response cache: load without a loader"));
    this.loading.add(key);
    return loader(signal).then(
      (answer) => {
        this.loading.delete(key);
        if (answer.cacheable) this.counters.stored++;
        else {
          this.counters.notStored++;
          this.l1.invalidate(key); // hand it to this load's callers, never store it
        }
        return answer;
      },
      (error: unknown) => {
        this.loading.delete(key);
        throw error;
      },
    );
  }
}
