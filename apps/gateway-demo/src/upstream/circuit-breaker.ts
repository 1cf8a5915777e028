import { CircuitBreaker as Breaker } from "@switchyard/core";

/**
 * A per-provider circuit breaker: core's `CircuitBreaker` (closed, open,
 * half_open) with the gateway's config. After `failureThreshold`
 * consecutive failures the provider is skipped for `cooldownMs`; then one
 * probe request is let through: success closes it, failure re-opens it for
 * another cooldown (the same length: no doubling).
 */
export class CircuitBreaker extends Breaker {
  constructor(failureThreshold: number, cooldownMs: number, now?: () => number) {
    super({ failureThreshold, openMs: cooldownMs, now });
  }
}
