import { formatRate } from "../../lib/table.js";
import { formatBytes } from "./heap.js";
import { failingLoads, formatSigned, type Results } from "./report.js";
import { FLAT_HEAP_BYTES } from "./soak.js";
import { STAMPEDE_LOAD_MS } from "./stampede.js";

/** The goals bench/README.md ("cache-l1") lists, the hit-ratio goal included. */
export const PEEK_VS_MAP_LIMIT = 1.5;
export const PEEK_VS_LRU_FACTOR = 1.5;
export const GET_VS_FETCH_FACTOR = 1.2;
export const GET_VS_BENTO_FACTOR = 30;
export const STAMPEDE_SLACK_MS = 2;
export const BYTES_PER_ENTRY_LIMIT = 100;

const mark = (met: boolean): string => (met ? "MET" : "NOT MET");
const x = (value: number): string => `${value.toFixed(2)}x`;

interface Goal {
  readonly title: string;
  readonly met: boolean;
  readonly detail: readonly string[];
}

function hitGoals(r: Results): Goal[] {
  const { sync, awaited, ratios } = r.hitSpeed;
  const mapRatio = ratios.mapOverPeek.median;
  const lruRatio = ratios.peekOverLru.median;
  const fetchRatio = ratios.getOverFetch.median;
  const bentoRatio = ratios.getOverBento.median;
  return [
    {
      title: `\`peek\` within ${PEEK_VS_MAP_LIMIT}x of \`Map.get\``,
      met: mapRatio <= PEEK_VS_MAP_LIMIT,
      detail: [
        `peek ${formatRate(sync.ours)}/s, Map.get ${formatRate(sync.map)}/s: Map.get / peek = ${x(mapRatio)} (limit ${x(PEEK_VS_MAP_LIMIT)})`,
      ],
    },
    {
      title: `\`peek\` at least ${PEEK_VS_LRU_FACTOR}x lru-cache \`get\``,
      met: lruRatio >= PEEK_VS_LRU_FACTOR,
      detail: [
        `peek ${formatRate(sync.ours)}/s, lru-cache get ${formatRate(sync.lru)}/s: ${x(lruRatio)} (goal >= ${x(PEEK_VS_LRU_FACTOR)})`,
      ],
    },
    {
      title: `awaited \`get\` at least ${GET_VS_FETCH_FACTOR}x lru-cache \`fetch\``,
      met: fetchRatio >= GET_VS_FETCH_FACTOR,
      detail: [
        `get ${formatRate(awaited.ours)}/s, fetch ${formatRate(awaited.lru)}/s: ${x(fetchRatio)} (goal >= ${x(GET_VS_FETCH_FACTOR)})`,
      ],
    },
    {
      title: `awaited \`get\` at least ${GET_VS_BENTO_FACTOR}x bentocache \`getOrSet\``,
      met: bentoRatio >= GET_VS_BENTO_FACTOR,
      detail: [
        `get ${formatRate(awaited.ours)}/s, getOrSet ${formatRate(awaited.bento)}/s: ${x(bentoRatio)} (goal >= ${GET_VS_BENTO_FACTOR}x)`,
      ],
    },
  ];
}

function stampedeGoals(r: Results): Goal[] {
  const ours = r.stampede.find((s) => s.library === "ours");
  const failing = r.failing.find((f) => f.library === "ours");
  if (ours === undefined || failing === undefined) throw new Error("ours missing from stampede");
  return [
    {
      title: `stampede: exactly 1 load, all served within load time + ${STAMPEDE_SLACK_MS} ms`,
      met: ours.maxLoads === 1 && ours.overheadMs <= STAMPEDE_SLACK_MS,
      detail: [
        `loads: ${ours.maxLoads} (max over the rounds); load ${ours.loadMs.toFixed(2)} ms (nominal ${STAMPEDE_LOAD_MS}); ` +
          `all 10,000 resolved ${ours.overheadMs.toFixed(2)} ms after it (median; worst ${ours.worstOverheadMs.toFixed(2)} ms; ` +
          `CPU time after the load ${ours.cpuAfterLoadMs.toFixed(2)} ms)`,
      ],
    },
    {
      title: "failing stampede: exactly 1 load",
      met: !failing.timedOut && failing.loads === 1 && failing.rejected === failing.settled,
      detail: [
        `loads: ${failingLoads(failing)}; ${failing.rejected} of 1,000 callers rejected in ${failing.elapsedMs.toFixed(1)} ms`,
      ],
    },
  ];
}

function otherGoals(r: Results): Goal[] {
  const { memory, soak } = r;
  const growth = soak.heapSecondHalf - soak.heapFirstHalf;
  return [
    {
      title: `at most ${BYTES_PER_ENTRY_LIMIT} bytes of bookkeeping per entry`,
      met: memory.ours <= BYTES_PER_ENTRY_LIMIT,
      detail: [
        `ours ${memory.ours.toFixed(1)} B/entry (Map ${memory.map.toFixed(1)}, lru-cache ${memory.lru.toFixed(1)})`,
      ],
    },
    ...r.hitRatio.map((row) => ({
      title: `hit ratio >= lru-cache's, ${row.trace} trace`,
      met: row.ours >= row.lru,
      detail: [`ours ${(row.ours * 100).toFixed(2)}%, lru-cache ${(row.lru * 100).toFixed(2)}%`],
    })),
    {
      title: "soak: in-flight back to 0 and flat heap",
      met: soak.inFlightAtHalf === 0 && soak.inFlightAtEnd === 0 && growth <= FLAT_HEAP_BYTES,
      detail: [
        `in flight after each half: ${soak.inFlightAtHalf}, ${soak.inFlightAtEnd}`,
        `heap after GC: ${formatBytes(soak.heapFirstHalf)} then ${formatBytes(soak.heapSecondHalf)} ` +
          `(${formatSigned(growth)} bytes; flat = at most +${formatBytes(FLAT_HEAP_BYTES)})`,
      ],
    },
  ];
}

export function goals(r: Results): string {
  const all = [...hitGoals(r), ...stampedeGoals(r), ...otherGoals(r)];
  const met = all.filter((g) => g.met).length;
  const lines = [`${met} of ${all.length} goals met.`, ""];
  for (const goal of all) {
    lines.push(`- **${mark(goal.met)}**: ${goal.title}`);
    for (const detail of goal.detail) lines.push(`  - ${detail}`);
  }
  return lines.join("\n");
}
