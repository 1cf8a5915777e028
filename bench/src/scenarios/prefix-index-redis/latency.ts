import { performance } from "node:perf_hooks";
import type { CacheIndex, IndexScope, PrefixHash } from "@switchyard/core";

export interface LatencyResult {
  readonly p50: number;
  readonly p99: number;
  /** Lookups per second with `concurrency` lookups in flight. */
  readonly throughput: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** p50/p99 of one lookup at a time, then throughput at `concurrency`. */
export async function measureLookups(
  index: CacheIndex,
  scope: IndexScope,
  candidates: () => readonly PrefixHash[],
  samples: number,
  concurrency: number,
): Promise<LatencyResult> {
  for (let i = 0; i < 200; i++) await index.lookup(scope, candidates());
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const c = candidates();
    const start = performance.now();
    await index.lookup(scope, c);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  let done = 0;
  const started = performance.now();
  const worker = async () => {
    while (done < samples) {
      done++;
      await index.lookup(scope, candidates());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const throughput = (samples * 1000) / (performance.now() - started);
  return { p50: percentile(times, 50), p99: percentile(times, 99), throughput };
}
