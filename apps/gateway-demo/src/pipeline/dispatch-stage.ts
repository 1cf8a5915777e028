import { fullTurn } from "@switchyard/prefix-index";
import type { CancelToken } from "../cancel/cancel-token.js";
import type { ModelConfig, RetryConfig } from "../config/types.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { StreamTransformer } from "../stream/stream-transformer.js";
import { sendAttempt, type UpstreamTrace } from "../upstream/attempt.js";
import { withBreaker } from "../upstream/breaker-guard.js";
import { buildPayload, type Payload, type RequestPlan } from "../upstream/payload.js";
import type { ProviderSet, RuntimeProvider } from "../upstream/providers.js";
import { withRetries } from "../upstream/retry.js";
import type { UpstreamSuccess } from "../upstream/send-upstream.js";
import { UpstreamFailure } from "../upstream/upstream-failure.js";
import { LONG_PROMPT_CHARS } from "./long-prompt.js";

export interface DispatchDeps {
  readonly models: ReadonlyMap<string, ModelConfig>;
  readonly providers: ProviderSet;
  readonly retry: RetryConfig;
}

export interface Dispatched {
  readonly model: ModelConfig;
  readonly provider: RuntimeProvider;
  /** Whether the response must be translated to the client's dialect. */
  readonly translated: boolean;
  readonly result: UpstreamSuccess;
}

/**
 * Tries `[target, ...fallbacks]` in order (docs/routing.md#fallbacks).
 * Each candidate is one `Target` sent through the attempt wrappers:
 * retries with backoff around the provider's circuit breaker around one
 * upstream call (upstream/retry.ts, upstream/breaker-guard.ts,
 * upstream/attempt.ts). Fallback-eligible failures (model not found,
 * timeout, 5xx, 429, an open circuit, a stream broken before its first
 * event, an answer that cannot be parsed) move on to the next candidate,
 * any other 4xx stops at once. When all are exhausted, the last failure is
 * thrown.
 */
export async function dispatch(
  deps: DispatchDeps,
  plan: RequestPlan,
  candidates: readonly string[],
  trace: UpstreamTrace,
  signal: CancelToken,
): Promise<Dispatched> {
  const attempt = withRetries(withBreaker(sendAttempt(trace)), deps.retry, trace);
  let last: UpstreamFailure | undefined;
  for (let c = 0; c < candidates.length; c++) {
    const name = candidates[c] as string;
    if (c > 0) trace.fallbacks++;
    const model = deps.models.get(name);
    const provider = model && deps.providers.get(model.provider);
    if (!model || !provider) {
      last = new UpstreamFailure("unknown_model", `model ${name} is not in the catalog`);
      continue;
    }
    let payload: Payload;
    // A long body is serialized on a turn of its own too (not after the cache key's hashing).
    if (plan.raw.length >= LONG_PROMPT_CHARS) await fullTurn();
    try {
      payload = buildPayload(plan, model, provider);
    } catch (error) {
      if (c === 0 || !(error instanceof GatewayError)) throw error;
      last = new UpstreamFailure("rejected", error.message, { rejection: error });
      continue;
    }
    // A long body serialized anew (model renamed, translated) is sent on a turn of its own.
    if (payload.body !== plan.raw && payload.body.length >= LONG_PROMPT_CHARS) await fullTurn();
    const transformer = plan.stream ? () => streamTransformer(plan, provider) : undefined;
    try {
      const result = await attempt({ provider, payload, transformer }, signal);
      return { model, provider, translated: payload.translated, result };
    } catch (error) {
      if (signal.aborted || !(error instanceof UpstreamFailure) || !error.fallbackEligible) {
        throw error;
      }
      last = error;
    }
  }
  throw last ?? new UpstreamFailure("unknown_model", "no candidate model");
}

function streamTransformer(plan: RequestPlan, provider: RuntimeProvider): StreamTransformer {
  const options = plan.body.stream_options as { include_usage?: unknown } | undefined;
  return provider.dialect.streamTo(plan.clientApi, {
    usageAsked: options?.include_usage === true,
    maxEventBytes: provider.maxSseEventBytes,
  });
}
