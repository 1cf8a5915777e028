import type { Attempt } from "./attempt.js";
import type { RuntimeProvider } from "./providers.js";
import { UpstreamFailure } from "./upstream-failure.js";

/**
 * The provider's circuit breaker around an attempt: an open circuit fails
 * at once (`circuit_open`, no call); a success closes it; a failure that
 * says something about the provider's health counts; anything else (a
 * client error, the client leaving) frees the half-open probe and nothing more.
 */
export function withBreaker(next: Attempt): Attempt {
  return async (target, signal) => {
    const { provider } = target;
    if (!provider.breaker.allow()) throw circuitOpen(provider);
    try {
      const result = await next(target, signal);
      provider.breaker.success();
      return result;
    } catch (error) {
      if (!signal.aborted && error instanceof UpstreamFailure && error.breakerFailure) {
        provider.breaker.failure();
      } else {
        provider.breaker.neutral();
      }
      throw error;
    }
  };
}

function circuitOpen(provider: RuntimeProvider): UpstreamFailure {
  return new UpstreamFailure(
    "circuit_open",
    `provider ${provider.name} is failing; its circuit breaker is open`,
    { provider: provider.name, retryAfterMs: provider.breaker.retryAfterMs() },
  );
}
