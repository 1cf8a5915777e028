import { formatRate, formatRatio } from "../../lib/table.js";
import { signed } from "./format.js";
import type { LatencyOf, Stat } from "./phases.js";
import type { Results } from "./run-all.js";

/** The gateway's performance goals, as bench/README.md ("gateway") lists them. */
const GOALS = {
  addedP50Ms: 0.3,
  addedP99Ms: 1,
  throughputVsPortkey: 5,
  ttftAddedMs: 0.5,
} as const;

const mark = (met: boolean | undefined): string =>
  met === undefined ? "**NOT MEASURED**" : met ? "**MET**" : "**NOT MET**";

/** ", floor +0.380" — what the architecture's floor adds in the same rounds. */
function floorNote(of: LatencyOf | undefined, pick: (s: Stat) => number): string {
  return of?.added === undefined ? "" : `; the floor proxy adds ${signed(pick(of.added))} ms`;
}

export function goals(r: Results): string[] {
  const lines: string[] = [];
  {
    const name = `small prompt (${r.tokens.small} tokens)`;
    const result = r.small;
    const added = result.ours?.added;
    const p50 = added?.p50;
    const p99 = added?.p99;
    lines.push(
      `- Added latency at one request at a time, ${name}: p50 ${signed(p50 ?? Number.NaN)} ms ` +
        `(goal <= ${GOALS.addedP50Ms}) ${mark(p50 === undefined ? undefined : p50 <= GOALS.addedP50Ms)}; ` +
        `p99 ${signed(p99 ?? Number.NaN)} ms (goal <= ${GOALS.addedP99Ms}) ` +
        `${mark(p99 === undefined ? undefined : p99 <= GOALS.addedP99Ms)}` +
        `${floorNote(result.floor, (s) => s.p50).replace("adds", "adds p50")}` +
        `${floorNote(result.floor, (s) => s.p99).replace("; the floor proxy adds", ", p99")}`,
    );
  }
  {
    const p50 = r.large.ours?.added?.p50;
    const p99 = r.large.ours?.added?.p99;
    lines.push(
      `- The same, large prompt (${r.tokens.large} tokens): p50 ${signed(p50 ?? Number.NaN)} ms ` +
        `(goal <= ${GOALS.addedP50Ms}) ${mark(p50 === undefined ? undefined : p50 <= GOALS.addedP50Ms)}` +
        `${floorNote(r.large.floor, (s) => s.p50).replace("adds", "adds p50")}; p99 not judged ` +
        `(${signed(p99 ?? Number.NaN)} ms): with ${r.largePerRound} requests per round it is each ` +
        "round's slowest request, mostly the mock's own jitter on a 20k-token body",
    );
  }
  const at32 = r.throughput.find((t) => t.connections === 32)?.result;
  const ours = at32?.ours;
  const pk = at32?.portkey;
  if (ours && pk && pk.completed > 0 && ours.completed > 0) {
    const ratio = ours.rps / pk.rps;
    const cpu = pk.cpuUsPerRequest / ours.cpuUsPerRequest;
    lines.push(
      `- Throughput at 32 connections: ${formatRate(ours.rps)} req/s vs Portkey ${formatRate(pk.rps)} req/s = ` +
        `${formatRatio(ratio)} (goal >= ${GOALS.throughputVsPortkey}x) ${mark(ratio >= GOALS.throughputVsPortkey)}; ` +
        `CPU per request ${ours.cpuUsPerRequest.toFixed(0)} µs vs ${pk.cpuUsPerRequest.toFixed(0)} µs (${formatRatio(cpu)} less)` +
        (at32?.floor && at32.floor.completed > 0
          ? `; the floor proxy: ${formatRate(at32.floor.rps)} req/s = ${formatRatio(at32.floor.rps / pk.rps)}, ${at32.floor.cpuUsPerRequest.toFixed(0)} µs`
          : ""),
    );
  } else {
    const why = r.portkeyStart ?? pk?.failures.first ?? ours?.failures.first ?? "no data";
    lines.push(
      `- Throughput at 32 connections vs Portkey: ${mark(undefined)} (${why}); ours ${formatRate(ours?.rps ?? 0)} req/s`,
    );
  }
  const ttft = r.stream.ours?.ttft.added;
  lines.push(
    `- Streaming, added time to first token: p50 ${signed(ttft?.p50 ?? Number.NaN)} ms ` +
      `(goal <= ${GOALS.ttftAddedMs}) ${mark(ttft === undefined ? undefined : ttft.p50 <= GOALS.ttftAddedMs)}` +
      ` (p99 ${signed(ttft?.p99 ?? Number.NaN)} ms)${floorNote(r.stream.floor?.ttft, (s) => s.p50).replace("adds", "adds p50")}`,
  );
  return lines;
}
