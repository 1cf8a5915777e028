import type { LoadContext } from "@switchyard/core";

/**
 * How a `get` was answered, set before `get` returns its promise:
 * - `hit`: a fresh value from memory;
 * - `stale`: an expired value within `staleWhileRevalidateMs` (one background load refreshes it);
 * - `miss`: nothing usable in memory and this call started the load (its `context` went to the loader);
 * - `coalesced`: nothing usable in memory and this call joined another caller's load (its own
 *   `context` is not used).
 */
export type GetResult = "hit" | "stale" | "miss" | "coalesced";

/**
 * How the promise of a `miss` or `coalesced` get settled:
 * - `loaded`: with the load's value (cached or not);
 * - `staleIfError`: the load failed and the stale value was served (`staleIfErrorMs`);
 * - `error`: rejected with the load's error, `LoadTimeoutError` or `CacheClosedError`;
 * - `aborted`: rejected because this caller's `signal` aborted.
 */
export type GetSettled = "loaded" | "staleIfError" | "error" | "aborted";

/** A caller's record of one `get` (pass an empty object; the cache fills it in). */
export interface GetStatus {
  /** Set before `get` returns. */
  result?: GetResult;
  /** Set (for `miss` and `coalesced`) before the promise `get` returned settles. */
  settled?: GetSettled;
}

export interface GetOptions<C = unknown> {
  /** Aborting detaches only this caller; the shared load stops only when no caller is left. */
  signal?: AbortSignal | undefined;
  /** Handed to the loader when this call starts the load (a miss, or a stale hit that starts the refresh). */
  context?: C;
  /** Filled in with how this call was answered. */
  status?: GetStatus | undefined;
}

/** What the loader receives: the load's signal and the `context` of the call that started it. */
export interface L1LoadContext<C = unknown> extends LoadContext {
  readonly context: C;
}

export type LoadFunction<K, V, C = unknown> = (key: K, context: L1LoadContext<C>) => Promise<V> | V;

/** `get`'s options: optional, unless the cache's context type excludes `undefined` (then `context` is required). */
export type GetArguments<C> = undefined extends C
  ? [options?: GetOptions<C>]
  : [options: GetOptions<C> & { context: C }];
