import { setTimeout as sleep } from "node:timers/promises";

/** How long a readiness probe or a scrape waits for the database before calling it down. */
const DEPENDENCY_PING_TIMEOUT_MS = 1_000;

/** The dependencies reported, in this order (`/readyz`'s `degraded`, `switchyard_dependency_up`). */
export type DependencyName = "route_store" | "prompt_cache_index" | "redis";

/** Whether each dependency answers now. None of them being down stops the gateway serving. */
export interface DependencyReport {
  readonly routeStore: boolean;
  readonly promptCacheIndex: boolean;
  /** Without `prompt_cache.redis_url`: `undefined`. */
  readonly redis: { readonly connected: boolean; readonly breaker: string } | undefined;
  /** The dependencies down: `[]` when all are up. */
  readonly degraded: readonly DependencyName[];
}

export interface DependencyProbes {
  /** The route store's backing store answers (the shared database, or `true` in memory). */
  routeStore(): Promise<boolean>;
  /** The prompt-cache index is on that same database (one ping answers both); else in memory. */
  readonly promptCacheIndexOnDatabase: boolean;
  /** The Redis accelerator's connection and breaker, when configured. */
  readonly redis: (() => { connected: boolean; breaker: string }) | undefined;
}

/**
 * The state of the gateway's dependencies for `/readyz` and the metrics.
 * One database ping at a time (probes and scrapes share it), each answer
 * bounded by {@link DEPENDENCY_PING_TIMEOUT_MS} so a hung database reads as down.
 */
export class DependencyHealth {
  private pinging: Promise<boolean> | undefined;

  constructor(private readonly probes: DependencyProbes) {}

  async check(): Promise<DependencyReport> {
    const routeStore = await this.ping();
    const promptCacheIndex = this.probes.promptCacheIndexOnDatabase ? routeStore : true;
    const redis = this.probes.redis?.();
    const degraded: DependencyName[] = [];
    if (!routeStore) degraded.push("route_store");
    if (!promptCacheIndex) degraded.push("prompt_cache_index");
    if (redis && !(redis.connected && redis.breaker === "closed")) degraded.push("redis");
    return { routeStore, promptCacheIndex, redis, degraded };
  }

  /** Each dependency as up or down, for the `switchyard_dependency_up` gauge. */
  async states(): Promise<ReadonlyArray<readonly [DependencyName, boolean]>> {
    const report = await this.check();
    const states: Array<readonly [DependencyName, boolean]> = [
      ["route_store", report.routeStore],
      ["prompt_cache_index", report.promptCacheIndex],
    ];
    if (report.redis) states.push(["redis", !report.degraded.includes("redis")]);
    return states;
  }

  private async ping(): Promise<boolean> {
    this.pinging ??= this.probes.routeStore().then(
      (up) => up,
      () => false,
    );
    const pinging = this.pinging;
    void pinging.finally(() => {
      if (this.pinging === pinging) this.pinging = undefined;
    });
    const timer = new AbortController();
    try {
      return await Promise.race([
        pinging,
        sleep(DEPENDENCY_PING_TIMEOUT_MS, false, { signal: timer.signal }),
      ]);
    } finally {
      timer.abort();
    }
  }
}
