import { performance } from "node:perf_hooks";

/** How long to measure one cell: warm up, then `rounds` rounds of about `roundMs` each. */
export interface MeasureOptions {
  readonly warmupMs: number;
  readonly roundMs: number;
  readonly rounds: number;
}

export const DEFAULT_MEASURE: MeasureOptions = { warmupMs: 200, roundMs: 300, rounds: 5 };
export const QUICK_MEASURE: MeasureOptions = { warmupMs: 20, roundMs: 30, rounds: 3 };

/** Runs the operation `count` times and returns something derived from the results. */
export type SyncBatch = (count: number) => number;
export type AsyncBatch = (count: number) => Promise<number>;

export interface Measurement {
  /** Median of the rounds' operations per second. */
  readonly opsPerSec: number;
  readonly perRound: readonly number[];
  /** Operations timed, warm-up excluded. */
  readonly operations: number;
}

/** Clock checks happen once per slice, so timing overhead stays out of fast operations. */
const SLICE_MS = 5;

let sink = 0;

/** Batch results are folded in here so the optimizer cannot drop the work. */
export function sinkValue(): number {
  return sink;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A slice size that takes about SLICE_MS, grown from `count` by doubling. */
function grow(count: number, elapsedMs: number): number {
  return elapsedMs < SLICE_MS && count < 1 << 30 ? count * 2 : count;
}

function summarize(perRound: number[], operations: number): Measurement {
  return { opsPerSec: median(perRound), perRound, operations };
}

/** Operations per second of a synchronous operation (median of the rounds). */
export function measureSync(
  batch: SyncBatch,
  options: MeasureOptions = DEFAULT_MEASURE,
): Measurement {
  let count = 1;
  const warmupEnd = performance.now() + options.warmupMs;
  while (performance.now() < warmupEnd) {
    const start = performance.now();
    sink ^= batch(count);
    count = grow(count, performance.now() - start);
  }
  const perRound: number[] = [];
  let operations = 0;
  for (let round = 0; round < options.rounds; round++) {
    let done = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < options.roundMs) {
      sink ^= batch(count);
      done += count;
      elapsed = performance.now() - start;
    }
    perRound.push((done * 1000) / elapsed);
    operations += done;
  }
  return summarize(perRound, operations);
}

/** The same for an asynchronous operation: same time budget, so fewer operations if it is slow. */
export async function measureAsync(
  batch: AsyncBatch,
  options: MeasureOptions = DEFAULT_MEASURE,
): Promise<Measurement> {
  let count = 1;
  const warmupEnd = performance.now() + options.warmupMs;
  while (performance.now() < warmupEnd) {
    const start = performance.now();
    sink ^= await batch(count);
    count = grow(count, performance.now() - start);
  }
  const perRound: number[] = [];
  let operations = 0;
  for (let round = 0; round < options.rounds; round++) {
    let done = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < options.roundMs) {
      sink ^= await batch(count);
      done += count;
      elapsed = performance.now() - start;
    }
    perRound.push((done * 1000) / elapsed);
    operations += done;
  }
  return summarize(perRound, operations);
}
