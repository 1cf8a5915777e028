import { performance } from "node:perf_hooks";

/** How many calls to time per cell. */
export interface SamplePlan {
  readonly warmup: number;
  readonly samples: number;
}

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly samples: number;
}

/** Percentiles of per-call times in ms (nearest rank). */
export function summarize(samples: readonly number[]): Latency {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { p50: at(0.5), p99: at(0.99), mean, samples: sorted.length };
}

/** Times `call` one call at a time, sequentially, after a warm-up. */
export async function timeCalls(
  plan: SamplePlan,
  call: () => unknown | Promise<unknown>,
): Promise<Latency> {
  for (let i = 0; i < plan.warmup; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < plan.samples; i++) {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

/** The same for a synchronous call (no await between start and stop). */
export function timeSyncCalls(plan: SamplePlan, call: () => unknown): Latency {
  let sink = 0;
  for (let i = 0; i < plan.warmup; i++) sink ^= call() === undefined ? 0 : 1;
  const samples: number[] = [];
  for (let i = 0; i < plan.samples; i++) {
    const start = performance.now();
    sink ^= call() === undefined ? 0 : 1;
    samples.push(performance.now() - start);
  }
  if (sink === 2) console.error("unreachable");
  return summarize(samples);
}

/** `412 µs` below 1 ms, `1.234 ms` above. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return value < 1 ? `${(value * 1000).toFixed(1)} µs` : `${value.toFixed(3)} ms`;
}
