export type BreakerState = "closed" | "open" | "half-open";

/**
 * Counts consecutive Redis failures; at the threshold it opens: callers skip
 * Redis entirely. After the open period one probe runs (the caller's own
 * request still goes to the baseline); its success closes the breaker, its
 * failure reopens it for twice as long, up to a ceiling.
 */
export class CircuitBreaker {
  state: BreakerState = "closed";
  opens = 0;
  private failures = 0;
  private openUntil = 0;
  private period: number;

  constructor(
    private readonly threshold: number,
    private readonly openMs: number,
    private readonly maxOpenMs: number,
  ) {
    this.period = openMs;
  }

  /** True when calls may go to Redis now. */
  get closed(): boolean {
    return this.state === "closed";
  }

  /** True when the open period is over and no probe runs yet: the caller should start one. */
  probeDue(now: number): boolean {
    if (this.state !== "open" || now < this.openUntil) return false;
    this.state = "half-open";
    return true;
  }

  /** A call succeeded while closed. (Late answers while open change nothing: only a probe closes.) */
  success(): void {
    if (this.state === "closed") this.failures = 0;
  }

  /** The probe (and the repair after it) succeeded. */
  probeSucceeded(): void {
    this.state = "closed";
    this.failures = 0;
    this.period = this.openMs;
  }

  /** The probe failed: open again, for twice as long. */
  probeFailed(now: number): void {
    this.period = Math.min(this.period * 2, this.maxOpenMs);
    this.open(now);
  }

  failure(now: number): void {
    if (this.state !== "closed") return;
    this.failures += 1;
    if (this.failures >= this.threshold) this.open(now);
  }

  private open(now: number): void {
    this.state = "open";
    this.opens += 1;
    this.openUntil = now + this.period;
    this.failures = 0;
  }
}
