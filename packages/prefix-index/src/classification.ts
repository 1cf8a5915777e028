import type { IndexScope, PrefixHash, TtlTier } from "@switchyard/core";
import { type CacheSplit, ZERO_TIERS } from "./types.js";

/** A breakpoint to write after a successful response. Expiry is set at commit: now + tier. */
export interface PendingWrite {
  readonly prefixHash: PrefixHash;
  readonly cumulativeTokenCount: number;
  readonly ttlTier: TtlTier;
  readonly blockIndex: number;
}

/** The entry that was read, to slide to now + its own stored tier at commit. */
export interface PendingRefresh {
  readonly prefixHash: PrefixHash;
  readonly ttlTier: TtlTier;
  readonly blockIndex: number;
}

/**
 * How classification ended:
 * - `disabled`: the model has no tariff (usage is only scrubbed);
 * - `no-breakpoints`: the request has no marker;
 * - `pure-read`: the longest read is at the deepest breakpoint;
 * - `write`: breakpoints deeper than the read (if any) are written;
 * - `below-floor`: the deepest breakpoint is under the model's `minPrefixTokens`;
 * - `index-error`, `index-timeout`, `tokenizer-error`, `error`: no cache for this request.
 */
export type ClassificationOutcome =
  | "disabled"
  | "no-breakpoints"
  | "pure-read"
  | "write"
  | "below-floor"
  | "index-error"
  | "index-timeout"
  | "tokenizer-error"
  | "error";

/** The cache split of one request plus what to commit after a successful response. */
export interface Classification extends CacheSplit {
  readonly scope: IndexScope;
  /** The model has a tariff: its usage always carries the cache fields (zeros when nothing cached). */
  readonly enabled: boolean;
  readonly outcome: ClassificationOutcome;
  readonly pendingWrites: readonly PendingWrite[];
  readonly pendingRefresh: PendingRefresh | null;
  /** The failure behind `index-error`, `tokenizer-error`, `error`. */
  readonly error?: unknown;
}

/** "Nothing cached": zeros, nothing to commit. */
export function noCache(
  scope: IndexScope,
  enabled: boolean,
  outcome: ClassificationOutcome,
  error?: unknown,
): Classification {
  const base = {
    scope,
    enabled,
    outcome,
    read: 0,
    creation: ZERO_TIERS,
    pendingWrites: [],
    pendingRefresh: null,
  };
  return error === undefined ? base : { ...base, error };
}
