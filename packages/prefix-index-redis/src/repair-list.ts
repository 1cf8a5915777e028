/**
 * Keys whose Redis copy may be older than the baseline because a write or
 * refresh could not reach Redis. They are deleted before the breaker closes
 * again, so Redis never answers from before the outage. Bounded: past the
 * bound it only remembers that it overflowed.
 */
export class RepairList {
  private keys = new Set<string>();
  overflowed = false;

  constructor(private readonly max: number) {}

  add(...keys: string[]): void {
    for (const key of keys) {
      if (this.keys.size >= this.max) {
        this.overflowed = true;
        return;
      }
      this.keys.add(key);
    }
  }

  /** Takes every remembered key (and the overflow flag), leaving the list empty. */
  take(): { keys: string[]; overflowed: boolean } {
    const taken = { keys: [...this.keys], overflowed: this.overflowed };
    this.keys = new Set();
    this.overflowed = false;
    return taken;
  }

  /** Puts keys back after a failed repair. */
  restore(keys: string[], overflowed: boolean): void {
    this.add(...keys);
    this.overflowed ||= overflowed;
  }
}
