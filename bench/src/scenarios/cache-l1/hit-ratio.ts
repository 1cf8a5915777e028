import { L1Cache } from "@switchyard/cache-l1";
import { LRUCache } from "lru-cache";
import type { Rng } from "../../lib/prng.js";
import { SHARED_VALUE, type Value } from "./libraries.js";

export const ZIPF_KEYS = 100_000;
export const ZIPF_EXPONENT = 0.99;
export const RATIO_CAPACITY = 10_000;
export const TRACE_LENGTH = 1_000_000;
/** Share of the scan-mixed trace made of one-time keys, in sequential runs of SCAN_RUN. */
export const SCAN_FRACTION = 0.3;
export const SCAN_RUN = 1_000;
const SCAN_BASE = 10_000_000;

export interface HitRatioRow {
  readonly trace: string;
  readonly ours: number;
  readonly lru: number;
}

/** `length` requests over keys 0..distinct-1 with P(rank k) proportional to 1/(k+1)^exponent. */
export function zipfTrace(
  rng: Rng,
  distinct: number,
  exponent: number,
  length: number,
): Int32Array {
  const cdf = new Float64Array(distinct);
  let total = 0;
  for (let k = 0; k < distinct; k++) {
    total += 1 / (k + 1) ** exponent;
    cdf[k] = total;
  }
  const trace = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const u = rng.next() * total;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    trace[i] = lo;
  }
  return trace;
}

/**
 * The Zipf trace cut into runs of SCAN_RUN requests, with SCAN_FRACTION of the runs (placed at
 * random) replaced by sequential keys that are requested once and never again.
 */
export function scanMixedTrace(rng: Rng, zipf: Int32Array): Int32Array {
  const runs = Math.floor(zipf.length / SCAN_RUN);
  const scanRuns = new Set(
    rng.sample(
      Array.from({ length: runs }, (_, i) => i),
      Math.round(runs * SCAN_FRACTION),
    ),
  );
  const trace = new Int32Array(runs * SCAN_RUN);
  let zipfAt = 0;
  let scanKey = SCAN_BASE;
  for (let run = 0; run < runs; run++) {
    const scan = scanRuns.has(run);
    for (let j = 0; j < SCAN_RUN; j++) {
      trace[run * SCAN_RUN + j] = scan ? scanKey++ : (zipf[zipfAt++] as number);
    }
  }
  return trace;
}

/** `peek`, and `set` on a miss: the same request/insert pattern as lru-cache's `get`/`set` below. */
function oursHitRatio(trace: Int32Array): number {
  const noLoad = async (): Promise<Value> => SHARED_VALUE;
  const cache = new L1Cache<number, Value>(noLoad, {
    ttlMs: Number.POSITIVE_INFINITY,
    maxEntries: RATIO_CAPACITY,
    jitter: 0,
  });
  let hits = 0;
  for (let i = 0; i < trace.length; i++) {
    const key = trace[i] as number;
    if (cache.peek(key) !== undefined) hits++;
    else cache.set(key, SHARED_VALUE);
  }
  void cache.close();
  return hits / trace.length;
}

function lruHitRatio(trace: Int32Array): number {
  const cache = new LRUCache<number, Value>({ max: RATIO_CAPACITY });
  let hits = 0;
  for (let i = 0; i < trace.length; i++) {
    const key = trace[i] as number;
    if (cache.get(key) !== undefined) hits++;
    else cache.set(key, SHARED_VALUE);
  }
  return hits / trace.length;
}

/** Section 6: hit ratio at equal capacity on a Zipf trace and on the same trace mixed with scans. */
export function measureHitRatio(rng: Rng): HitRatioRow[] {
  const zipf = zipfTrace(rng, ZIPF_KEYS, ZIPF_EXPONENT, TRACE_LENGTH);
  const mixed = scanMixedTrace(rng, zipf);
  const rows = [
    { trace: "zipf", ours: oursHitRatio(zipf), lru: lruHitRatio(zipf) },
    { trace: "scan-mixed", ours: oursHitRatio(mixed), lru: lruHitRatio(mixed) },
  ];
  console.error("measured hit ratio");
  return rows;
}
