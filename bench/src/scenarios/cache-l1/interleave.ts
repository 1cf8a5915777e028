import { performance } from "node:perf_hooks";
import { type AsyncBatch, type MeasureOptions, median, type SyncBatch } from "../../lib/measure.js";
import { collect } from "./heap.js";

/**
 * Contenders take turns within every round (A, B, C, A, B, C, ...), so a burst of load from
 * another process on the machine lands on all of them alike and the per-round ratios compare
 * like with like (the machine this runs on is shared).
 *
 * Synchronous loops take turns in slices of about SYNC_SLICE_MS (long enough that re-warming
 * the CPU caches after the other contenders' slices is a small part of it). Awaited loops allocate
 * (promises, and for some libraries far more), and garbage left by one would be collected
 * during the next one's slice: they take one turn per round each, after a full GC.
 */
const SYNC_SLICE_MS = 100;
/** A batch is sized to take about this long (then repeated to fill a slice). */
const BATCH_MS = 10;

/**
 * ops per second of process CPU time, per round, for each contender. CPU time rather than wall
 * time: on a shared machine this process is often descheduled, which inflates wall time at
 * random; CPU time leaves that out (cache and memory-bus contention stay in).
 */
export type Rounds<N extends string> = Record<N, number[]>;

let sink = 0;

/** Batch results are folded in here so the optimizer cannot drop the work. */
export function interleaveSink(): number {
  return sink;
}

/** Doubles the batch size until one batch takes about BATCH_MS, running for at least `warmupMs`. */
async function calibrate(run: (count: number) => number | Promise<number>, warmupMs: number) {
  let count = 1;
  const end = performance.now() + warmupMs;
  for (;;) {
    const start = performance.now();
    const result = run(count);
    sink ^= typeof result === "number" ? result : await result;
    const elapsed = performance.now() - start;
    if (elapsed < BATCH_MS && count < 1 << 30) count *= 2;
    else if (performance.now() >= end) return count;
  }
}

async function interleave<N extends string>(
  batches: Record<N, (count: number) => number | Promise<number>>,
  options: MeasureOptions,
  sliceMs: number,
  collectFirst: boolean,
): Promise<Rounds<N>> {
  const names = Object.keys(batches) as N[];
  const counts = {} as Record<N, number>;
  for (const name of names) counts[name] = await calibrate(batches[name], options.warmupMs);
  const rounds = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Rounds<N>;
  for (let round = 0; round < options.rounds; round++) {
    const ops = Object.fromEntries(names.map((n) => [n, 0])) as Record<N, number>;
    const cpuMs = Object.fromEntries(names.map((n) => [n, 0])) as Record<N, number>;
    const roundStart = performance.now();
    while (performance.now() - roundStart < options.roundMs * names.length) {
      for (const name of names) {
        if (collectFirst) collect();
        const cpuStart = process.cpuUsage();
        const sliceStart = performance.now();
        while (performance.now() - sliceStart < sliceMs) {
          const result = batches[name](counts[name]);
          sink ^= typeof result === "number" ? result : await result;
          ops[name] += counts[name];
        }
        const cpu = process.cpuUsage(cpuStart);
        cpuMs[name] += (cpu.user + cpu.system) / 1000;
      }
    }
    for (const name of names) rounds[name].push((ops[name] * 1000) / cpuMs[name]);
  }
  return rounds;
}

/** A synchronous batch is timed without any await (the rounds still run inside a promise). */
export function interleaveSync<N extends string>(
  batches: Record<N, SyncBatch>,
  options: MeasureOptions,
): Promise<Rounds<N>> {
  return interleave(batches, options, SYNC_SLICE_MS, false);
}

export function interleaveAsync<N extends string>(
  batches: Record<N, AsyncBatch>,
  options: MeasureOptions,
): Promise<Rounds<N>> {
  return interleave(batches, options, options.roundMs, true);
}

/** a / b per round: the median, and the lowest and highest round (the spread). */
export interface Ratio {
  readonly median: number;
  readonly low: number;
  readonly high: number;
}

export function pairedRatio(a: readonly number[], b: readonly number[]): Ratio {
  const ratios = a.map((value, i) => value / (b[i] as number));
  return { median: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
}

export function medians<N extends string>(rounds: Rounds<N>): Record<N, number> {
  const names = Object.keys(rounds) as N[];
  return Object.fromEntries(names.map((n) => [n, median(rounds[n])])) as Record<N, number>;
}
