import { formatRate, formatRatio, markdownTable } from "../../lib/table.js";
import { formatBytes } from "./heap.js";
import type { HitRatioRow } from "./hit-ratio.js";
import type { HitSpeed } from "./hit-speed.js";
import type { Ratio } from "./interleave.js";
import type { MemoryResult } from "./memory.js";
import { RESIDENT_KEYS, type ResidentHit } from "./resident-hit.js";
import type { SoakResult } from "./soak.js";
import type { FailingResult, StampedeResult } from "./stampede.js";

export interface Results {
  readonly hitSpeed: HitSpeed;
  readonly resident: ResidentHit;
  readonly stampede: readonly StampedeResult[];
  readonly failing: readonly FailingResult[];
  readonly memory: MemoryResult;
  readonly hitRatio: readonly HitRatioRow[];
  readonly soak: SoakResult;
}

const ns = (opsPerSec: number): string => (1e9 / opsPerSec).toFixed(1);
const ms = (value: number): string => value.toFixed(2);
const pct = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;

/** "ours is 1.52x faster (1.40-1.61)" / "Map.get is 1.10x faster (...)" from ours / other. */
function versus(oursOverOther: Ratio, otherName: string): string {
  const { median, low, high } = oursOverOther;
  return median >= 1
    ? `ours is ${formatRatio(median)} faster (${formatRatio(low)}-${formatRatio(high)})`
    : `${otherName} is ${formatRatio(1 / median)} faster (${formatRatio(1 / high)}-${formatRatio(1 / low)})`;
}

const invert = (r: Ratio): Ratio => ({ median: 1 / r.median, low: 1 / r.high, high: 1 / r.low });

function hitTable(speed: HitSpeed): string {
  const { sync, awaited, ratios } = speed;
  const rows = [
    ["sync", "ours `peek`", sync.ours, ""],
    ["sync", "`Map.get` (floor)", sync.map, versus(invert(ratios.mapOverPeek), "Map.get")],
    ["sync", "lru-cache `get`", sync.lru, versus(ratios.peekOverLru, "lru-cache")],
    ["awaited", "ours `await get`", awaited.ours, ""],
    ["awaited", "lru-cache `await fetch`", awaited.lru, versus(ratios.getOverFetch, "lru-cache")],
    [
      "awaited",
      "bentocache `await getOrSet`",
      awaited.bento,
      versus(ratios.getOverBento, "bentocache"),
    ],
    [
      "awaited",
      "async-cache-dedupe `await fn`",
      awaited.dedupe,
      versus(ratios.getOverDedupe, "async-cache-dedupe"),
    ],
  ] as const;
  return markdownTable(
    [
      "hit",
      "library",
      "ops/s (median)",
      "ns/op",
      "ratio: median of per-round ratios (lowest-highest round)",
    ],
    rows.map(([kind, name, rate, ratio]) => [kind, name, formatRate(rate), ns(rate), ratio]),
    ["left", "left", "right", "right", "left"],
  );
}

function stampedeTable(rows: readonly StampedeResult[]): string {
  return markdownTable(
    [
      "library",
      "loads (max)",
      "load ms",
      "all resolved after load: median ms",
      "worst ms",
      "CPU ms after load (median)",
    ],
    rows.map((r) => [
      r.library,
      String(r.maxLoads),
      ms(r.loadMs),
      ms(r.overheadMs),
      ms(r.worstOverheadMs),
      ms(r.cpuAfterLoadMs),
    ]),
    ["left", "right", "right", "right", "right", "right"],
  );
}

export function failingLoads(r: FailingResult): string {
  return r.timedOut ? `> ${r.loads}` : String(r.loads);
}

function failingTable(rows: readonly FailingResult[]): string {
  return markdownTable(
    [
      "library",
      "loads",
      "max concurrent loads",
      "serialized",
      "ms (all settled or cut)",
      "rejected",
      "recovers",
    ],
    rows.map((r) => [
      r.library,
      failingLoads(r),
      String(r.maxConcurrent),
      r.loads > 1 && r.maxConcurrent === 1 ? "yes" : "no",
      `${r.timedOut ? "> " : ""}${r.elapsedMs.toFixed(0)}`,
      `${r.rejected} of ${r.settled} settled`,
      r.recovers ? "yes" : "no",
    ]),
    ["left", "right", "right", "left", "right", "right", "left"],
  );
}

function memoryTable(memory: MemoryResult): string {
  const rows = [
    ["ours (`L1Cache`, maxEntries 100k)", memory.ours],
    ["`Map` (no TTL, no bound)", memory.map],
    ["lru-cache (max 100k, TTL)", memory.lru],
  ] as const;
  return markdownTable(
    ["structure", "bytes/entry", "vs ours"],
    rows.map(([name, bytes]) => [name, bytes.toFixed(1), formatRatio(bytes / memory.ours)]),
    ["left", "right", "right"],
  );
}

function ratioTable(rows: readonly HitRatioRow[]): string {
  return markdownTable(
    ["trace", "ours (SIEVE)", "lru-cache (LRU)", "ours - lru-cache"],
    rows.map((r) => [
      r.trace,
      pct(r.ours),
      pct(r.lru),
      `${((r.ours - r.lru) * 100).toFixed(2)} pp`,
    ]),
    ["left", "right", "right", "right"],
  );
}

function soakLines(soak: SoakResult): string[] {
  const outcomes = Object.entries(soak.outcomes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, count]) => `${name} ${count.toLocaleString("en-US")}`)
    .join(", ");
  const s = soak.stats;
  return [
    `- Operations: ${soak.operations.toLocaleString("en-US")} (${outcomes})`,
    `- Stats: loads ${s.loads}, loadErrors ${s.loadErrors}, loadTimeouts ${s.loadTimeouts},`,
    `  coalesced ${s.coalesced}, aborted ${s.aborted}, abandonedLoads ${s.abandonedLoads},`,
    `  discardedLoads ${s.discardedLoads}, staleHits ${s.staleHits}, evictions ${s.evictions},`,
    `  expirations ${s.expirations}`,
    `- In flight after the first half: ${soak.inFlightAtHalf}; after the second: ${soak.inFlightAtEnd}`,
    `- Heap after GC: first half ${formatBytes(soak.heapFirstHalf)}, second half ` +
      `${formatBytes(soak.heapSecondHalf)} (${formatSigned(soak.heapSecondHalf - soak.heapFirstHalf)} bytes)`,
  ];
}

/** Informational: the same sync comparison when everything fits in the CPU caches. */
function residentLine(r: ResidentHit): string {
  return (
    `Informational, not a goal: with ${RESIDENT_KEYS.toLocaleString("en-US")} keys (everything cache-resident), ` +
    `\`peek\` ${ns(r.ours)} ns/op, \`Map.get\` ${ns(r.map)} ns/op: ${versus(invert(r.mapOverPeek), "Map.get")}.`
  );
}

export function formatSigned(value: number): string {
  return `${value >= 0 ? "+" : ""}${Math.round(value).toLocaleString("en-US")}`;
}

export function resultTables(results: Results): string {
  return [
    "## Results",
    "",
    "### 1-2. Warm hits (100k keys, random order)",
    "",
    hitTable(results.hitSpeed),
    "",
    `Extra loads during the timed hits: ${results.hitSpeed.extraLoads} (0 = every lookup hit).`,
    "",
    residentLine(results.resident),
    "",
    "### 3. Stampede: 10,000 concurrent gets of one cold key (source ~20 ms)",
    "",
    stampedeTable(results.stampede),
    "",
    "### 4. Failing stampede: 1,000 concurrent gets, source rejects after ~5 ms",
    "",
    failingTable(results.failing),
    "",
    "### 5. Memory: bookkeeping bytes per entry at 100k entries",
    "",
    memoryTable(results.memory),
    "",
    `Keys alone (baseline, subtracted): ${results.memory.keysPerEntry.toFixed(1)} bytes per key.`,
    "",
    "### 6. Hit ratio at equal capacity (10k)",
    "",
    ratioTable(results.hitRatio),
    "",
    "### 7. Soak (ours only)",
    "",
    ...soakLines(results.soak),
  ].join("\n");
}
