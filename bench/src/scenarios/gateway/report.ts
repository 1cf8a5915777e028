import { formatRate, formatRatio, markdownTable } from "../../lib/table.js";
import { CHUNK_DELAY_MS } from "./config.js";
import { ms, signed } from "./format.js";
import { goals } from "./goals.js";
import type { Failures } from "./load.js";
import { method } from "./method.js";
import type { LatencyResult, ThroughputResult } from "./phases.js";
import { profileSection } from "./profile-report.js";
import type { Results } from "./run-all.js";
import type { Settings } from "./settings.js";
import type { TargetName } from "./targets.js";

function failureNote(f: Failures): string {
  return f.count === 0 ? "" : ` (${f.count} failed)`;
}

/** Row order and labels of the per-path tables. */
const PATHS: ReadonlyArray<readonly [TargetName, string]> = [
  ["direct", "direct to mock"],
  ["ours", "**Switchyard**"],
  ["ours-lean", "Switchyard, routes without token/cost bounds"],
  ["floor", "floor (node:http + undici passthrough)"],
  ["portkey", "Portkey"],
];

type Row = string[];

/** Rows of one load: one per path that ran it; Portkey as FAILED or with `portkeyMissing`. */
function latencyGroup(
  load: string,
  result: LatencyResult,
  portkeyStart: string | undefined,
  portkeyMissing: string | undefined,
): Row[] {
  const rows: Row[] = [];
  const oursAdded = result.ours?.added?.p50;
  for (const [name, label] of PATHS) {
    const of = result[name];
    if (of === undefined) {
      if (name !== "portkey") continue;
      if (portkeyStart !== undefined)
        rows.push(["", label, "FAILED: did not start", "", "", "", ""]);
      else if (portkeyMissing !== undefined) rows.push(["", label, portkeyMissing, "", "", "", ""]);
      continue;
    }
    if (of.stat === undefined) {
      rows.push([
        "",
        label,
        `FAILED: ${of.failures.first ?? "no successful request"}`,
        "",
        "",
        "",
        "",
      ]);
      continue;
    }
    const added = of.added;
    const vsOurs =
      added === undefined || name === "ours" || oursAdded === undefined || oursAdded < 0.05
        ? ""
        : formatRatio(added.p50 / oursAdded);
    rows.push([
      "",
      label,
      `${ms(of.stat.p50)}${failureNote(of.failures)}`,
      ms(of.stat.p99),
      added === undefined ? "" : signed(added.p50),
      added === undefined ? "" : signed(added.p99),
      vsOurs,
    ]);
  }
  const first = rows[0];
  if (first !== undefined) first[0] = load;
  return rows;
}

function oneAtATimeTable(r: Results): string {
  const headers = [
    "load",
    "path",
    "p50 ms",
    "p99 ms",
    "added p50",
    "added p99",
    "added p50 ÷ Switchyard's",
  ];
  const rows: Row[] = [
    ...latencyGroup(`small prompt, ${r.tokens.small} tokens`, r.small, r.portkeyStart, undefined),
    ...latencyGroup(`large prompt, ${r.tokens.large} tokens`, r.large, r.portkeyStart, undefined),
  ];
  const ttft: LatencyResult = {};
  const gap: LatencyResult = {};
  for (const [name, of] of Object.entries(r.stream)) {
    ttft[name as TargetName] = of.ttft;
    gap[name as TargetName] = of.gap;
  }
  rows.push(
    ...latencyGroup("stream: time to first token", ttft, r.portkeyStart, undefined),
    ...latencyGroup(
      `stream: gap between content chunks (mock: ${CHUNK_DELAY_MS} ms)`,
      gap,
      r.portkeyStart,
      undefined,
    ),
  );
  const { small, large, cachedTokens } = r.prefix;
  rows.push(
    ...latencyGroup(
      "response cache hit, small prompt",
      r.cacheHit.latency,
      undefined,
      "n/a (no cache configured)",
    ),
    ...latencyGroup(
      "prefix-cache accounting, small prompt",
      small,
      undefined,
      "n/a (no accounting)",
    ),
    ...latencyGroup(
      `prefix-cache accounting, large prompt (${cachedTokens} tokens read from cache)`,
      large,
      undefined,
      "n/a (no accounting)",
    ),
  );
  return markdownTable(headers, rows, [
    "left",
    "left",
    "right",
    "right",
    "right",
    "right",
    "right",
  ]);
}

function throughputGroup(
  load: string,
  result: ThroughputResult,
  portkeyStart: string | undefined,
  portkeyMissing: string | undefined,
): Row[] {
  const rows: Row[] = [];
  const pk = result.portkey;
  for (const [name, label] of PATHS) {
    const of = result[name];
    if (of === undefined) {
      if (name !== "portkey") continue;
      const why = portkeyStart !== undefined ? "FAILED: did not start" : portkeyMissing;
      if (why !== undefined) rows.push(["", label, why, "", "", ""]);
      continue;
    }
    if (of.completed === 0) {
      rows.push(["", label, `FAILED: ${of.failures.first ?? "no request completed"}`, "", "", ""]);
      continue;
    }
    const vsPortkey =
      pk !== undefined && pk.completed > 0 && name !== "portkey" && name !== "direct"
        ? formatRatio(of.rps / pk.rps)
        : "";
    rows.push([
      "",
      label,
      `${formatRate(of.rps)}${failureNote(of.failures)}`,
      ms(of.p99),
      Number.isFinite(of.cpuUsPerRequest) ? of.cpuUsPerRequest.toFixed(0) : "—",
      vsPortkey,
    ]);
  }
  const first = rows[0];
  if (first !== undefined) first[0] = load;
  return rows;
}

function throughputTable(r: Results): string {
  const headers = ["connections", "path", "req/s", "p99 ms", "CPU µs/req", "req/s ÷ Portkey's"];
  const rows: Row[] = [];
  for (const { connections, result } of r.throughput) {
    rows.push(...throughputGroup(String(connections), result, r.portkeyStart, undefined));
  }
  rows.push(
    ...throughputGroup("32, response cache hit", r.cacheHit.throughput32, undefined, "n/a"),
  );
  return markdownTable(headers, rows, ["left", "left", "right", "right", "right", "right"]);
}

export interface ReportInput {
  readonly results: Results;
  readonly settings: Settings;
  readonly environment: readonly string[];
  readonly cpu: string;
  readonly elapsedMs: number;
  /** 1-minute load average before the run and at its end (other work on the machine shows here). */
  readonly loadAverage: { readonly start: number; readonly end: number };
  /** A previous run's profile section, when this run did not profile. */
  readonly carriedProfile: string | undefined;
}

export function report(input: ReportInput): string {
  const { results: r, settings } = input;
  const lines = [
    "# Gateway benchmark: direct vs Switchyard vs Portkey",
    "",
    ...input.environment,
    `- Portkey: @portkey-ai/gateway ${r.portkeyVersion}${r.portkeyStart ? ` (FAILED to start: ${r.portkeyStart})` : ""}`,
    `- Run time: ${(input.elapsedMs / 1000).toFixed(0)} s; 1-minute load average before / after: ` +
      `${input.loadAverage.start.toFixed(2)} / ${input.loadAverage.end.toFixed(2)}`,
    "",
    ...method(r, settings, input.cpu),
    "",
    "## One request at a time",
    "",
    oneAtATimeTable(r),
    "",
    "## Throughput (small prompt)",
    "",
    throughputTable(r),
    "",
    "## Goals",
    "",
    ...goals(r),
    "",
  ];
  if (r.portkeyErrors.length > 0) {
    lines.push("## Portkey failures", "", "Errors in Portkey's own log during the run:", "");
    for (const e of r.portkeyErrors) {
      lines.push(
        `- \`${e.line}\` (${e.count}x)${e.frames.length > 0 ? `, ${e.frames.map((f) => `\`${f}\``).join(" ← ")}` : ""}`,
      );
    }
    if (r.portkeyErrors.some((e) => e.line.includes("immutable"))) {
      const streamsFailed =
        r.stream.portkey !== undefined && r.stream.portkey.ttft.stat === undefined;
      lines.push(
        "",
        "A known Portkey bug: it appends headers to a `fetch` Response, whose headers are immutable",
        "with the `@hono/node-server` its version range installs (Portkey-AI/gateway#1389, #1550).",
        streamsFailed
          ? "In this run it failed every streamed request; plain requests worked."
          : "In this run some requests failed with it.",
      );
    }
    lines.push("");
  }
  if (r.profiles !== undefined) lines.push(...profileSection(r.profiles, r.profileDir), "");
  else if (input.carriedProfile !== undefined) lines.push(input.carriedProfile, "");
  else {
    lines.push(
      "## Profile",
      "",
      "Not profiled in this run: `npx -y pnpm@10.34.9 bench gateway --profile` adds this section.",
      "",
    );
  }
  return lines.join("\n");
}
