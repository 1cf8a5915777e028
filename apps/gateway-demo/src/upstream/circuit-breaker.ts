/**
 * A per-provider circuit breaker. Closed: everything passes; after
 * `failureThreshold` consecutive failures it opens and the provider is
 * skipped for `cooldownMs`; then one probe request is let through
 * (half-open): success closes it, failure re-opens it for another cooldown.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private probing = false;

  constructor(
    private readonly failureThreshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): "closed" | "open" | "half_open" {
    if (this.openedAt === undefined) return "closed";
    return this.now() - this.openedAt >= this.cooldownMs ? "half_open" : "open";
  }

  /** Whether a request may go to the provider now (claims the probe slot when half-open). */
  allow(): boolean {
    if (this.openedAt === undefined) return true;
    if (this.probing || this.now() - this.openedAt < this.cooldownMs) return false;
    this.probing = true;
    return true;
  }

  /** Milliseconds until a probe is allowed (0 when closed). */
  retryAfterMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.cooldownMs - (this.now() - this.openedAt));
  }

  success(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
  }

  failure(): void {
    this.probing = false;
    if (this.openedAt !== undefined) {
      this.openedAt = this.now();
      return;
    }
    if (++this.failures >= this.failureThreshold) this.openedAt = this.now();
  }

  /** An outcome that says nothing about the provider's health (e.g. a 400): frees the probe slot. */
  neutral(): void {
    this.probing = false;
  }
}
