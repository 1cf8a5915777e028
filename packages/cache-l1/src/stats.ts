/** Counters since construction; plain integer increments, read with `stats()`. */
export interface L1CacheStats {
  /** Fresh values served from memory (`get` and `peek`). */
  hits: number;
  /** Lookups that found nothing fresh (a `get` miss then loads or joins a load). */
  misses: number;
  /** Stale values served during stale-while-revalidate. */
  staleHits: number;
  /** Stale values served because the reload failed (stale-if-error). */
  staleIfErrorHits: number;
  /** Calls to the source's `load`. */
  loads: number;
  /** Loads that rejected, threw or timed out. */
  loadErrors: number;
  /** Loads that hit `loadTimeoutMs`. */
  loadTimeouts: number;
  /** Callers that joined a load already in flight instead of starting one. */
  coalesced: number;
  /** Callers that left through their AbortSignal. */
  aborted: number;
  /** Loads aborted because every caller left. */
  abandonedLoads: number;
  /** Results handed to callers but not cached (invalidated, cleared or overwritten during the load). */
  discardedLoads: number;
  /** Entries removed to respect `maxEntries`. */
  evictions: number;
  /** Dead entries removed by the incremental sweep. */
  expirations: number;
  /** Loads running now. */
  inFlight: number;
  /** Entries held now (fresh, stale or not yet swept). */
  size: number;
}

export function emptyStats(): L1CacheStats {
  return {
    hits: 0,
    misses: 0,
    staleHits: 0,
    staleIfErrorHits: 0,
    loads: 0,
    loadErrors: 0,
    loadTimeouts: 0,
    coalesced: 0,
    aborted: 0,
    abandonedLoads: 0,
    discardedLoads: 0,
    evictions: 0,
    expirations: 0,
    inFlight: 0,
    size: 0,
  };
}
