import type { RouteChange } from "@switchyard/core";

/** Collects the changes a `watch` subscription delivers and waits for expected ones. */
export class ChangeRecorder {
  readonly changes: RouteChange[] = [];
  #waiters: { match(change: RouteChange): boolean; resolve(change: RouteChange): void }[] = [];

  /** Pass this to `watch`. */
  readonly onChange = (change: RouteChange): void => {
    this.changes.push(change);
    for (const waiter of [...this.#waiters]) {
      if (waiter.match(change)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(change);
      }
    }
  };

  /** Changes of this org seen so far. */
  forOrg(orgId: string): RouteChange[] {
    return this.changes.filter((c) => c.type === "org" && c.orgId === orgId);
  }

  /** Resolves with the first change (already seen or next) that matches; rejects after `timeoutMs`. */
  waitFor(
    match: (change: RouteChange) => boolean,
    timeoutMs: number,
    what = "change",
  ): Promise<RouteChange> {
    const seen = this.changes.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (change: RouteChange) => {
          clearTimeout(timer);
          resolve(change);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        const got = JSON.stringify(this.changes);
        reject(new Error(`no ${what} within ${timeoutMs} ms; received so far: ${got}`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Waits for an `{ type: "org", orgId }` change. */
  waitForOrg(orgId: string, timeoutMs: number): Promise<RouteChange> {
    return this.waitFor(
      (c) => c.type === "org" && c.orgId === orgId,
      timeoutMs,
      `change of org ${orgId}`,
    );
  }

  /** Forgets everything seen so far. */
  clear(): void {
    this.changes.length = 0;
  }
}
