const noop = () => {};

/**
 * One in-progress load of one key, shared by every caller that missed it.
 * The outcome (value or error) is delivered once to all of them.
 */
export class Flight<V> {
  readonly promise: Promise<V>;
  readonly controller = new AbortController();
  /** Callers still waiting (callers without a signal never leave). */
  waiters = 0;
  /** Invalidated, cleared or overwritten while loading: hand the result to callers, never cache it. */
  detached = false;
  settled = false;
  /** The load failed and the stale value was handed out instead (stale-if-error). */
  servedStale = false;
  timer: ReturnType<typeof setTimeout> | undefined;
  private resolvePromise!: (value: V) => void;
  private rejectPromise!: (error: unknown) => void;

  /** @param background a stale-while-revalidate refresh: it runs with no caller waiting. */
  constructor(readonly background: boolean) {
    this.promise = new Promise<V>((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
    // Nobody may be listening (a background refresh, every caller aborted): never an unhandled rejection.
    this.promise.catch(noop);
  }

  /** Marks the flight finished; false if it already was. */
  finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    return true;
  }

  resolve(value: V): void {
    this.resolvePromise(value);
  }

  reject(error: unknown): void {
    this.rejectPromise(error);
  }
}
