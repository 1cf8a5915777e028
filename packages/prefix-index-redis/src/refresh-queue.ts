import type { CacheIndex, IndexScope, PrefixHash } from "@switchyard/core";

interface PendingRefresh {
  readonly scope: IndexScope;
  readonly hash: PrefixHash;
  expiresAt: Date;
}

interface FlushCounters {
  flushes: number;
  flushedRefreshes: number;
  flushErrors: number;
}

/**
 * Write-behind of refreshes to the baseline: coalesced per entry (the last
 * call wins, as it would at the baseline and in Redis) and flushed in batches
 * every interval, so an entry costs at most one baseline write per interval
 * however often it is read. Losing a pending refresh (a crash) leaves the
 * baseline with the expiry of the last refresh it received.
 */
export class RefreshQueue {
  private pending = new Map<string, PendingRefresh>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly baseline: CacheIndex,
    private readonly intervalMs: number,
    private readonly concurrency: number,
    private readonly counters: FlushCounters,
    private readonly onError: (error: unknown, operation: string) => void,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  add(key: string, scope: IndexScope, hash: PrefixHash, expiresAt: Date): void {
    const queued = this.pending.get(key);
    if (queued) {
      queued.expiresAt = expiresAt;
      return;
    }
    this.pending.set(key, { scope, hash, expiresAt });
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.flush(), this.intervalMs);
      this.timer.unref?.();
    }
  }

  /**
   * Writes one refresh to the baseline now, in its place in line: after the
   * flush in progress (which may hold an earlier refresh of the entry) and
   * instead of the one pending for the key. The baseline's error rejects.
   */
  writeNow(key: string, scope: IndexScope, hash: PrefixHash, expiresAt: Date): Promise<void> {
    this.pending.delete(key);
    const write = this.running.then(() => this.baseline.refresh(scope, hash, expiresAt));
    this.running = write.catch(() => {});
    return write;
  }

  /** Writes everything pending now; flushes never overlap. */
  flush(): Promise<void> {
    this.running = this.running.then(() => this.flushOnce());
    return this.running;
  }

  /** Stops the timer and writes what is pending. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async flushOnce(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.counters.flushes += 1;
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const item = batch[next++] as PendingRefresh;
        try {
          await this.baseline.refresh(item.scope, item.hash, item.expiresAt);
          this.counters.flushedRefreshes += 1;
        } catch (error) {
          this.counters.flushErrors += 1;
          this.onError(error, "flush refresh");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batch.length) }, worker));
  }
}
