/** Counters of one `PrefixCache`. Plain numbers: reading them costs nothing. */
export interface PrefixCacheStats {
  /** `classify` calls. */
  classifications: number;
  /** Models without a tariff (usage only scrubbed). */
  disabled: number;
  /** Requests without any marker. */
  noBreakpoints: number;
  /** Classifications with a cache read (pure or followed by writes). */
  reads: number;
  /** Reads at the deepest breakpoint: nothing tokenized, nothing written. */
  pureReads: number;
  /** Classifications that queued writes. */
  writes: number;
  /** Deepest breakpoint under the model's `minPrefixTokens`. */
  belowFloor: number;
  /** Lookups that rejected (treated as "no cache"). */
  indexErrors: number;
  /** Lookups slower than `lookupTimeoutMs` (treated as "no cache"). */
  indexTimeouts: number;
  /** Tokenizer failures (treated as "no cache"). */
  tokenizerErrors: number;
  /** Any other classification failure (treated as "no cache"). */
  classifyErrors: number;
  /** Commits whose writes and refresh were all applied. */
  commitsApplied: number;
  /** Commits the index rejected. */
  commitsFailed: number;
  /** Commits that missed `commitDeadlineMs`. */
  commitsTimedOut: number;
  /** Commits skipped because the response failed (non-2xx, no usage, or an error frame). */
  commitsSkippedFailedResponse: number;
  /** Commits skipped because the gap cap zeroed the bill. */
  commitsSkippedGapCap: number;
  /** Commits with nothing pending. */
  commitsNothingPending: number;
}

export function emptyStats(): PrefixCacheStats {
  return {
    classifications: 0,
    disabled: 0,
    noBreakpoints: 0,
    reads: 0,
    pureReads: 0,
    writes: 0,
    belowFloor: 0,
    indexErrors: 0,
    indexTimeouts: 0,
    tokenizerErrors: 0,
    classifyErrors: 0,
    commitsApplied: 0,
    commitsFailed: 0,
    commitsTimedOut: 0,
    commitsSkippedFailedResponse: 0,
    commitsSkippedGapCap: 0,
    commitsNothingPending: 0,
  };
}
