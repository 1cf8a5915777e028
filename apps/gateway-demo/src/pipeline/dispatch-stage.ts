import { fullTurn } from "@switchyard/prefix-index";
import { type CancelToken, delay } from "../cancel/cancel-token.js";
import type { ModelConfig, RetryConfig } from "../config/types.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { RequestContext } from "../protocol/request-context.js";
import type { StreamTransformer } from "../stream/stream-transformer.js";
import { retryDelayMs } from "../upstream/backoff.js";
import { buildPayload, type RequestPlan } from "../upstream/payload.js";
import type { ProviderSet, RuntimeProvider } from "../upstream/providers.js";
import { sendUpstream, type UpstreamSuccess } from "../upstream/send-upstream.js";
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
 * routing.md step 6: tries `[target, ...fallbacks]` in order. Each
 * candidate gets up to `retry.maxAttempts` attempts with full-jitter backoff
 * (`retry-after` honoured); fallback-eligible failures (model not found,
 * timeout, 5xx, 429, a stream broken before its first event, an answer
 * that cannot be parsed) move on to the next candidate, any other 4xx stops
 * at once. An open circuit skips the provider. When all are exhausted, the
 * last failure is thrown.
 */
export async function dispatch(
  deps: DispatchDeps,
  plan: RequestPlan,
  candidates: readonly string[],
  ctx: RequestContext,
  signal: CancelToken,
): Promise<Dispatched> {
  let last: UpstreamFailure | undefined;
  for (let c = 0; c < candidates.length; c++) {
    const name = candidates[c] as string;
    if (c > 0) ctx.fallbacks++;
    const model = deps.models.get(name);
    const provider = model && deps.providers.get(model.provider);
    if (!model || !provider) {
      last = new UpstreamFailure("unknown_model", `model ${name} is not in the catalog`);
      continue;
    }
    let payload: ReturnType<typeof buildPayload>;
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
    for (let attempt = 1; ; attempt++) {
      if (!provider.breaker.allow()) {
        last = circuitOpen(provider);
        break;
      }
      ctx.attempts++;
      const sent = performance.now();
      try {
        const transformer = plan.stream ? streamTransformer(plan, provider) : undefined;
        const result = await sendUpstream(provider, payload, transformer, signal);
        ctx.upstreamNs += (performance.now() - sent) * 1e6;
        provider.breaker.success();
        ctx.upstreamStatus = 200;
        return { model, provider, translated: payload.translated, result };
      } catch (error) {
        ctx.upstreamNs += (performance.now() - sent) * 1e6;
        if (signal.aborted) {
          provider.breaker.neutral(); // the client left: says nothing about the provider
          throw error;
        }
        const failure =
          error instanceof UpstreamFailure ? error : new UpstreamFailure("network", String(error));
        if (failure.breakerFailure) provider.breaker.failure();
        else provider.breaker.neutral();
        if (failure.status !== undefined) ctx.upstreamStatus = failure.status;
        last = failure;
        if (!failure.fallbackEligible) throw failure;
        if (!failure.retryable || attempt >= deps.retry.maxAttempts) break;
        const wait = retryDelayMs(failure, attempt, deps.retry);
        if (wait === undefined) break;
        if (wait > 0) {
          const waited = performance.now();
          try {
            await delay(wait, signal);
          } finally {
            ctx.upstreamNs += (performance.now() - waited) * 1e6;
          }
        }
      }
    }
  }
  throw last ?? new UpstreamFailure("unknown_model", "no candidate model");
}

function circuitOpen(provider: RuntimeProvider): UpstreamFailure {
  return new UpstreamFailure(
    "circuit_open",
    `provider ${provider.name} is failing; its circuit breaker is open`,
    {
      provider: provider.name,
      retryAfterMs: provider.breaker.retryAfterMs(),
    },
  );
}

function streamTransformer(plan: RequestPlan, provider: RuntimeProvider): StreamTransformer {
  const options = plan.body.stream_options as { include_usage?: unknown } | undefined;
  return provider.dialect.streamTo(plan.clientApi, {
    usageAsked: options?.include_usage === true,
    maxEventBytes: provider.maxSseEventBytes,
  });
}
