import type { CircuitState } from "@switchyard/core";

/** The breaker's state: core's `CircuitState` (`closed`, `open`, `half_open`). */
export type BreakerState = CircuitState;

export interface RedisIndexStats {
  /** Candidates answered from Redis as live entries. */
  hits: number;
  /** Candidates answered from Redis as known misses (negative markers). */
  misses: number;
  /** Lookups that asked the baseline about candidates Redis did not know. */
  baselineLookups: number;
  /** Lookups served by the baseline alone because Redis failed, timed out or the breaker was open. */
  baselineFallbacks: number;
  /** Redis calls that failed or timed out. */
  redisErrors: number;
  redisTimeouts: number;
  breakerState: BreakerState;
  breakerOpens: number;
  /** Refreshes waiting for the next write-behind flush. */
  pendingRefreshes: number;
  /** Write-behind flushes run, and the baseline refreshes they made. */
  flushes: number;
  flushedRefreshes: number;
  /** Baseline refreshes that failed during a flush (safe: the baseline keeps an earlier expiry). */
  flushErrors: number;
  /** Keys deleted after an outage so Redis holds nothing older than the baseline. */
  repairedKeys: number;
}
