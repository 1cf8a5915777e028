import { performance } from "node:perf_hooks";
import { median } from "../../lib/measure.js";
import { collect, sleep } from "./heap.js";
import { ASYNC_LIBRARIES, createLibrary, type LibraryName, SHARED_VALUE } from "./libraries.js";

export const STAMPEDE_CALLERS = 10_000;
export const STAMPEDE_LOAD_MS = 20;
export const STAMPEDE_ROUNDS = 9;
export const FAILING_CALLERS = 1_000;
export const FAILING_LOAD_MS = 5;
export const FAILING_DEADLINE_MS = 5_000;

export interface StampedeResult {
  readonly library: LibraryName;
  /** Most loads seen in one round (the goal is 1 in every round). */
  readonly maxLoads: number;
  /** Median over the rounds of (all callers resolved) minus (the load's own duration), ms. */
  readonly overheadMs: number;
  readonly worstOverheadMs: number;
  /**
   * Median process CPU time from the load's end until all callers resolved, ms: the work of
   * serving them, without the time this process waited for a core on a busy machine.
   */
  readonly cpuAfterLoadMs: number;
  /** Median load duration (timer included), ms. */
  readonly loadMs: number;
}

export interface FailingResult {
  readonly library: LibraryName;
  /** Loads started by the deadline (all of them when `timedOut` is false). */
  readonly loads: number;
  readonly timedOut: boolean;
  /** Most loads running at the same time: 1 with loads > 1 means they were serialized. */
  readonly maxConcurrent: number;
  /** Until every caller settled, or the deadline, ms. */
  readonly elapsedMs: number;
  /** Callers that had rejected by then (a failing source should reject every caller). */
  readonly rejected: number;
  /** Callers that had settled by then. */
  readonly settled: number;
  /** A get after the failure, with the source healthy again, resolved within 1 s. */
  readonly recovers: boolean;
}

async function stampedeRound(name: LibraryName, round: number) {
  let loads = 0;
  let loadMs = 0;
  let cpuAtLoadEnd = process.cpuUsage();
  const lib = createLibrary(
    name,
    async () => {
      loads++;
      const start = performance.now();
      await sleep(STAMPEDE_LOAD_MS);
      if (loads === 1) {
        loadMs = performance.now() - start;
        cpuAtLoadEnd = process.cpuUsage();
      }
      return SHARED_VALUE;
    },
    1_000,
  );
  const key = `cold-${round}`;
  collect(); // garbage from earlier sections must not be collected inside the timed window
  const start = performance.now();
  const pending = new Array<Promise<unknown>>(STAMPEDE_CALLERS);
  for (let i = 0; i < STAMPEDE_CALLERS; i++) pending[i] = lib.get(key);
  await Promise.all(pending);
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpuAtLoadEnd);
  await lib.close();
  return { loads, loadMs, overheadMs: elapsed - loadMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Section 3: 10,000 concurrent gets of one cold key, source ~20 ms; one warm-up round, then the median. */
export async function measureStampede(rounds = STAMPEDE_ROUNDS): Promise<StampedeResult[]> {
  const results: StampedeResult[] = [];
  for (const library of ASYNC_LIBRARIES) {
    await stampedeRound(library, -1);
    const runs = [];
    for (let round = 0; round < rounds; round++) runs.push(await stampedeRound(library, round));
    results.push({
      library,
      maxLoads: Math.max(...runs.map((r) => r.loads)),
      overheadMs: median(runs.map((r) => r.overheadMs)),
      worstOverheadMs: Math.max(...runs.map((r) => r.overheadMs)),
      cpuAfterLoadMs: median(runs.map((r) => r.cpuMs)),
      loadMs: median(runs.map((r) => r.loadMs)),
    });
  }
  console.error("measured stampede");
  return results;
}

async function failingRound(library: LibraryName, deadlineMs: number): Promise<FailingResult> {
  let loads = 0;
  let active = 0;
  let maxConcurrent = 0;
  let healthy = false;
  let rejected = 0;
  let settled = 0;
  const lib = createLibrary(
    library,
    async () => {
      if (healthy) return SHARED_VALUE;
      loads++;
      active++;
      maxConcurrent = Math.max(maxConcurrent, active);
      try {
        await sleep(FAILING_LOAD_MS);
      } finally {
        active--;
      }
      throw new Error("backend down");
    },
    1_000,
  );
  collect();
  const start = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < FAILING_CALLERS; i++) {
    pending.push(
      lib.get("failing").then(
        () => settled++,
        () => {
          settled++;
          rejected++;
        },
      ),
    );
  }
  const all = Promise.all(pending).then(() => false);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), deadlineMs);
  });
  const timedOut = await Promise.race([all, deadline]);
  clearTimeout(timer);
  const elapsedMs = performance.now() - start;
  const seen = { loads, rejected, settled };
  // Past the deadline the source answers at once so the remaining waiters drain before the next section.
  healthy = true;
  await all;
  const recovers = await Promise.race([
    lib.get("failing").then(
      () => true,
      () => false,
    ),
    sleep(1_000).then(() => false),
  ]);
  await lib.close();
  return { library, ...seen, timedOut, maxConcurrent, elapsedMs, recovers };
}

/** Section 4: 1,000 concurrent misses against a source that rejects after ~5 ms, bounded wait. */
export async function measureFailingStampede(
  deadlineMs = FAILING_DEADLINE_MS,
): Promise<FailingResult[]> {
  const results: FailingResult[] = [];
  for (const library of ASYNC_LIBRARIES) results.push(await failingRound(library, deadlineMs));
  console.error("measured failing stampede");
  return results;
}
