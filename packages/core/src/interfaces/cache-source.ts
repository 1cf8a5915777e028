/** What a cache hands to its source when it loads a key. */
export interface LoadContext {
  /** Aborted when no caller waits for this load any more, or it timed out. */
  readonly signal: AbortSignal;
}

/** The source of truth behind a cache-aside cache (`@switchyard/cache-l1`). */
export interface CacheSource<K, V> {
  /** Loads the value for `key`. A rejection is never cached. */
  load(key: K, context: LoadContext): Promise<V> | V;
}
