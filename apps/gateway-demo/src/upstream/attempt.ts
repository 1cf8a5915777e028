import type { CancelToken } from "../cancel/cancel-token.js";
import type { RequestContext } from "../protocol/request-context.js";
import type { StreamTransformer } from "../stream/stream-transformer.js";
import type { Payload } from "./payload.js";
import type { RuntimeProvider } from "./providers.js";
import { sendUpstream, type UpstreamSuccess } from "./send-upstream.js";
import { UpstreamFailure } from "./upstream-failure.js";

/** What a request learns about its upstream calls (part of its outcome). */
export type UpstreamTrace = Pick<
  RequestContext,
  "attempts" | "fallbacks" | "upstreamNs" | "upstreamStatus"
>;

/** One candidate, ready to try: its provider and the request built for it. */
export interface Target {
  readonly provider: RuntimeProvider;
  readonly payload: Payload;
  /** A fresh transformer per attempt (streams), or `undefined`. */
  readonly transformer: (() => StreamTransformer) | undefined;
}

/**
 * Tries a target once. The wrappers (`withBreaker`, `withRetries`) and the
 * fallback loop of the dispatch stage compose around it, as undici's retry
 * interceptor wraps a dispatch: each takes an attempt and returns one.
 */
export type Attempt = (target: Target, signal: CancelToken) => Promise<UpstreamSuccess>;

/** The innermost attempt: one upstream call, timed and counted in the trace. */
export function sendAttempt(trace: UpstreamTrace): Attempt {
  return async (target, signal) => {
    trace.attempts++;
    const sent = performance.now();
    try {
      const result = await sendUpstream(
        target.provider,
        target.payload,
        target.transformer?.(),
        signal,
      );
      trace.upstreamStatus = 200;
      return result;
    } catch (error) {
      const failure = asFailure(error);
      if (failure.status !== undefined) trace.upstreamStatus = failure.status;
      throw signal.aborted ? error : failure;
    } finally {
      trace.upstreamNs += (performance.now() - sent) * 1e6;
    }
  };
}

/** Any error of an upstream call as an `UpstreamFailure` (a bare error is a network failure). */
function asFailure(error: unknown): UpstreamFailure {
  return error instanceof UpstreamFailure ? error : new UpstreamFailure("network", String(error));
}
