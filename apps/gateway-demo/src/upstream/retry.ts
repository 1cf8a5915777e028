import { delay } from "../cancel/cancel-token.js";
import type { RetryConfig } from "../config/types.js";
import type { Attempt, UpstreamTrace } from "./attempt.js";
import { retryDelayMs } from "./backoff.js";
import { UpstreamFailure } from "./upstream-failure.js";

/**
 * Retries of the same target around an attempt: up to `retry.maxAttempts`
 * tries, with full-jitter backoff (an upstream `retry-after` honoured, see
 * `retryDelayMs`), only for retryable failures; the wait counts as upstream
 * time. An open circuit and a client that left are never retried.
 */
export function withRetries(next: Attempt, retry: RetryConfig, trace: UpstreamTrace): Attempt {
  return async (target, signal) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await next(target, signal);
      } catch (error) {
        if (signal.aborted || !(error instanceof UpstreamFailure)) throw error;
        if (!error.fallbackEligible || !error.retryable || attempt >= retry.maxAttempts)
          throw error;
        const wait = retryDelayMs(error, attempt, retry);
        if (wait === undefined) throw error;
        if (wait > 0) {
          const waited = performance.now();
          try {
            await delay(wait, signal);
          } finally {
            trace.upstreamNs += (performance.now() - waited) * 1e6;
          }
        }
      }
    }
  };
}
