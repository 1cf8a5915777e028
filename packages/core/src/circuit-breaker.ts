/**
 * A circuit breaker's state. The words are the Prometheus label values the
 * gateway exports (`closed`, `open`, `half_open`).
 */
export type CircuitState = "closed" | "open" | "half_open";

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (an integer >= 1). */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one probe may go through (ms, > 0). */
  readonly openMs: number;
  /**
   * The longest open period (ms, >= `openMs`): each failed probe doubles the
   * period up to this. Default `openMs`: every open period is `openMs` long.
   */
  readonly maxOpenMs?: number | undefined;
  /** The clock in milliseconds. Default `Date.now()`. */
  readonly now?: (() => number) | undefined;
}

/**
 * A consecutive-failure circuit breaker for callers that report each
 * outcome themselves (no wrapped function): `allow()` before a call, then
 * exactly one of `success()`, `failure()` or `neutral()` after it.
 *
 * - closed: every call is allowed; `failureThreshold` consecutive failures
 *   open the circuit for `openMs`.
 * - open: nothing is allowed; `retryAfterMs()` says for how long.
 * - half_open (the open period is over): the next `allow()` claims the one
 *   probe; until its outcome every other `allow()` is refused. A success
 *   closes the circuit (and resets the period to `openMs`); a failure opens
 *   it again for twice the last period, up to `maxOpenMs`; a neutral
 *   outcome (one that says nothing about the other side's health: a client
 *   error, the caller leaving) frees the probe and changes nothing else.
 *
 * Outcomes of calls allowed before the circuit opened count too: a success
 * closes it, a failure starts the open period again (not doubled). A caller
 * that wants only its probe to decide (e.g. because a repair must run before
 * closing) reports other outcomes only while `state` is `closed`.
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly openMs: number;
  private readonly maxOpenMs: number;
  private readonly now: () => number;
  private failures = 0;
  /** When the open period ends; `undefined` while closed. */
  private openUntil: number | undefined;
  private periodMs: number;
  private probing = false;
  private openCount = 0;

  constructor(options: CircuitBreakerOptions) {
    const { failureThreshold, openMs, maxOpenMs = openMs } = options;
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
      throw new RangeError(
        `CircuitBreaker: failureThreshold must be an integer >= 1, got ${failureThreshold}`,
      );
    }
    if (!Number.isFinite(openMs) || openMs <= 0) {
      throw new RangeError(`CircuitBreaker: openMs must be a finite number > 0, got ${openMs}`);
    }
    if (!Number.isFinite(maxOpenMs) || maxOpenMs < openMs) {
      throw new RangeError(
        `CircuitBreaker: maxOpenMs must be a finite number >= openMs (${openMs}), got ${maxOpenMs}`,
      );
    }
    this.failureThreshold = failureThreshold;
    this.openMs = openMs;
    this.maxOpenMs = maxOpenMs;
    this.periodMs = openMs;
    this.now = options.now ?? (() => Date.now());
  }

  /** `half_open` from the end of the open period until the probe's outcome. */
  get state(): CircuitState {
    if (this.openUntil === undefined) return "closed";
    return this.now() >= this.openUntil ? "half_open" : "open";
  }

  /** How many times the circuit opened (a failed probe opens it again). */
  get opens(): number {
    return this.openCount;
  }

  /** Whether a call may go now; when half-open, the call that gets `true` is the probe. */
  allow(): boolean {
    if (this.openUntil === undefined) return true;
    if (this.probing || this.now() < this.openUntil) return false;
    this.probing = true;
    return true;
  }

  /** Milliseconds until the open period ends (0 when closed or half-open). */
  retryAfterMs(): number {
    if (this.openUntil === undefined) return 0;
    return Math.max(0, this.openUntil - this.now());
  }

  success(): void {
    this.failures = 0;
    this.openUntil = undefined;
    this.probing = false;
    this.periodMs = this.openMs;
  }

  failure(): void {
    if (this.openUntil === undefined) {
      this.failures += 1;
      if (this.failures >= this.failureThreshold) this.open();
    } else if (this.probing) {
      this.probing = false;
      this.periodMs = Math.min(this.periodMs * 2, this.maxOpenMs);
      this.open();
    } else {
      this.openUntil = this.now() + this.periodMs;
    }
  }

  /** An outcome that says nothing about the other side's health: frees the probe. */
  neutral(): void {
    this.probing = false;
  }

  private open(): void {
    this.failures = 0;
    this.openCount += 1;
    this.openUntil = this.now() + this.periodMs;
  }
}
