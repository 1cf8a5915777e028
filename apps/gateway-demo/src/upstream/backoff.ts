import type { RetryConfig } from "../config/types.js";
import type { UpstreamFailure } from "./upstream-failure.js";

/**
 * How long to wait before retry number `retry` (1-based) of the same
 * candidate, or `undefined` to move on instead: full jitter,
 * `random(0, min(maxDelay, base * 2^(retry-1)))`; an upstream `retry-after`
 * is honoured exactly when it is at most `maxRetryAfterMs`, otherwise the
 * candidate is given up (waiting longer would stall the client).
 */
export function retryDelayMs(
  failure: UpstreamFailure,
  retry: number,
  config: RetryConfig,
  random: () => number = Math.random,
): number | undefined {
  const hinted = failure.details.retryAfterMs;
  if (hinted !== undefined) return hinted <= config.maxRetryAfterMs ? hinted : undefined;
  const ceiling = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}
