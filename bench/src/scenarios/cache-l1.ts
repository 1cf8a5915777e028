import os from "node:os";
import { type MeasureOptions, QUICK_MEASURE } from "../lib/measure.js";
import { createRng } from "../lib/prng.js";
import { environmentLines, writeResult } from "../lib/table.js";
import { goals } from "./cache-l1/goals.js";
import { hasGc } from "./cache-l1/heap.js";
import {
  measureHitRatio,
  RATIO_CAPACITY,
  SCAN_FRACTION,
  SCAN_RUN,
  TRACE_LENGTH,
  ZIPF_EXPONENT,
  ZIPF_KEYS,
} from "./cache-l1/hit-ratio.js";
import { HIT_KEYS, measureHitSpeed } from "./cache-l1/hit-speed.js";
import { MEMORY_ENTRIES, measureMemory } from "./cache-l1/memory.js";
import { type Results, resultTables } from "./cache-l1/report.js";
import { measureResidentHit } from "./cache-l1/resident-hit.js";
import { runSoak, SOAK_HALF_MS } from "./cache-l1/soak.js";
import {
  FAILING_CALLERS,
  FAILING_DEADLINE_MS,
  FAILING_LOAD_MS,
  measureFailingStampede,
  measureStampede,
  STAMPEDE_CALLERS,
  STAMPEDE_LOAD_MS,
  STAMPEDE_ROUNDS,
} from "./cache-l1/stampede.js";

const SEED = 20250614;
/** Many short rounds, interleaved across libraries (see cache-l1/interleave.ts). */
const HIT_MEASURE: MeasureOptions = { warmupMs: 300, roundMs: 300, rounds: 9 };

const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");

function method(options: MeasureOptions, halfMs: number): string[] {
  const n = (value: number) => value.toLocaleString("en-US");
  return [
    "`@switchyard/cache-l1` (`L1Cache`, from source) against `Map` (floor), lru-cache",
    "(`get`; `fetch` with `fetchMethod`; TTL set), bentocache (`getOrSet`, memory driver",
    "only, default options: entries serialized) and async-cache-dedupe (`define`, memory",
    "storage), all in this one process.",
    "",
    `1. **Warm hit, sync**: ${n(HIT_KEYS)} keys present; lookups follow one precomputed random`,
    `   order (seed ${SEED}). ${options.warmupMs} ms warm-up each, then ${options.rounds} rounds; in`,
    `   a round the libraries take turns in ~100 ms slices until each has run ~${options.roundMs} ms,`,
    "   so load from other processes hits all alike. Rates are per second of process CPU",
    "   time (being descheduled does not count). ops/s is the median round; a ratio is the",
    "   median of the per-round ratios (lowest and highest round in parentheses).",
    "2. **Warm hit, awaited**: the same keys and order, one `await` per lookup; the libraries",
    `   take one ~${options.roundMs} ms turn each per round, each after a full GC (so no library's`,
    "   garbage is collected on another's time).",
    `3. **Stampede**: ${n(STAMPEDE_CALLERS)} concurrent gets of one cold key, source takes`,
    `   ~${STAMPEDE_LOAD_MS} ms; loads counted, and the time until all callers resolved minus`,
    `   the load's own measured duration; one warm-up round, then median of ${STAMPEDE_ROUNDS}`,
    "   (also the process CPU time in that window: wall minus CPU is waiting for a core).",
    `4. **Failing stampede**: ${n(FAILING_CALLERS)} concurrent gets, source rejects after`,
    `   ~${FAILING_LOAD_MS} ms; the wait is cut at ${n(FAILING_DEADLINE_MS)} ms ("> N" loads).`,
    `5. **Memory**: live heap plus ArrayBuffers after a full GC, filled with ${n(MEMORY_ENTRIES)}`,
    "   entries sharing one value, minus the same keys alone (strings + array), per entry;",
    "   median of 3 rounds. Capacity = 100k for both bounded caches.",
    `6. **Hit ratio**: capacity ${n(RATIO_CAPACITY)}; a Zipf(${ZIPF_EXPONENT}) trace of ${n(TRACE_LENGTH)}`,
    `   requests over ${n(ZIPF_KEYS)} keys, and the same trace with ${SCAN_FRACTION * 100}% of it`,
    `   replaced by runs of ${n(SCAN_RUN)} sequential one-time keys. \`peek\` then \`set\` on a`,
    "   miss for ours, `get` then `set` for lru-cache.",
    `7. **Soak** (ours): two halves of ${halfMs / 1000} s, 64 workers over 2,000 keys: gets`,
    "   (30% with an AbortSignal that fires after 0-12 ms), peeks, invalidations, sets and",
    "   rare clears, against a source that answers, rejects, throws, hangs until aborted,",
    "   never settles, or answers after the 25 ms `loadTimeoutMs`. After each half the",
    "   workers stop, loads drain, and in-flight count and heap (after GC) are read.",
  ];
}

export async function run(args: readonly string[]): Promise<void> {
  const quick = args.includes("--quick");
  if (!hasGc()) throw new Error("cache-l1 needs node --expose-gc; run it through `pnpm bench`");
  const options = quick ? QUICK_MEASURE : HIT_MEASURE;
  const halfMs = quick ? 1_000 : SOAK_HALF_MS;
  const rng = createRng(SEED);
  const loadAtStart = loadAverage();
  const started = performance.now();
  const results: Results = {
    hitSpeed: await measureHitSpeed(rng, options),
    resident: await measureResidentHit(rng, options),
    stampede: await measureStampede(quick ? 1 : undefined),
    failing: await measureFailingStampede(quick ? 1_000 : undefined),
    memory: await measureMemory(),
    hitRatio: measureHitRatio(createRng(SEED)),
    soak: await runSoak(createRng(SEED), halfMs),
  };
  const seconds = (performance.now() - started) / 1000;

  const report = [
    "# L1 cache benchmark",
    "",
    ...environmentLines(),
    `- Whole run: ${seconds.toFixed(1)} s; load average (1, 5, 15 min) at the start ${loadAtStart},`,
    `  at the end ${loadAverage()} (other processes on the machine skew ratios of memory-bound loops)`,
    "",
    ...method(options, halfMs),
    "",
    resultTables(results),
    "",
    "## Goals",
    "",
    goals(results),
  ].join("\n");
  console.log(report);
  if (quick) {
    console.error("\n--quick: results file not written");
    return;
  }
  const path = await writeResult("cache-l1", report);
  console.error(`\nwrote ${path}`);
}
