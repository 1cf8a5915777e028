import { formatRate, formatRatio, markdownTable } from "../../lib/table.js";
import { CHUNK_DELAY_MS } from "./config.js";
import type { Failures } from "./load.js";
import type { LatencyOf, LatencyResult, Stat, ThroughputResult } from "./phases.js";
import type { ProfileRun, Results, Settings } from "./run-all.js";
import type { TargetName } from "./targets.js";

/** The gateway's performance goals, as bench/README.md ("gateway") lists them. */
export const GOALS = {
  addedP50Ms: 0.3,
  addedP99Ms: 1,
  throughputVsPortkey: 5,
  ttftAddedMs: 0.5,
} as const;

const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : "—");
const signed = (v: number): string =>
  Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(3)}` : "—";

/** Function names can be whole regular expressions (V8 names RegExp code by its source). */
export const shortName = (fn: string): string => (fn.length > 48 ? `${fn.slice(0, 45)}...` : fn);

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

export function method(r: Results, s: Settings, cpu: string): string[] {
  return [
    "Every path ends at the same mock upstream (the gateway's own `src/mock/`, started as its own",
    "process); each gateway is a separate child process on 127.0.0.1, and this process is the load",
    "generator (undici `Client`/`Pool`, keep-alive):",
    "",
    "- **direct**: straight to the mock;",
    "- **Switchyard**: `apps/gateway-demo` as `pnpm start` runs it (the build: `node dist/main.js",
    "  --config <file>`), defaults of the embedded config (memory route store, `info` access",
    "  log, metrics on), the mock as an OpenAI provider, a 13-model catalog and one org with 100 seeded",
    "  routes (priorities with ties, ~5% disabled, model lists, tags, keywords, token and cost bounds).",
    "  No route matches a benchmark request, so the whole set is evaluated every time and the body is",
    "  forwarded unchanged. A second instance (**routes without token/cost bounds**) has the same",
    "  routes minus their token and cost bounds, so it never tokenizes the prompt;",
    "- **floor**: `floor-proxy.ts`, the least a `node:http` + undici gateway does (read the body, parse",
    "  it, forward the same bytes over a keep-alive pool, answer with a content-length or pass the",
    "  stream through; no auth, routing, logs or metrics): what this machine charges any gateway of",
    "  this design;",
    `- **Portkey** \`@portkey-ai/gateway\` ${r.portkeyVersion} (\`build/start-server.js --headless\`), with`,
    "  `x-portkey-provider: openai` and `x-portkey-custom-host` pointing at the mock.",
    "",
    `Bodies are identical on every path (OpenAI Chat Completions, seeded pseudo-text, \`max_tokens: 200\`).`,
    `One at a time: ${s.small.rounds} alternating rounds of ${s.small.perRound} requests (large prompt:`,
    `${s.large.perRound}; streams: ${s.stream.perRound}) per path, each path on its own keep-alive`,
    "connection; p50/p99 per round, *added* = path minus direct in the same round; the table shows",
    "medians over rounds. Streams: the mock sends each content chunk",
    `${CHUNK_DELAY_MS} ms after the previous one; TTFT is the time to the first content event, the gap`,
    "is measured between content events. Throughput: closed loop with one request in flight per",
    `connection, ${s.load.rounds} alternating rounds of ${s.load.durationMs / 1000} s per path after a warm-up;`,
    "medians over rounds. CPU µs/req: user + system time of the path's own process",
    "(`/proc/<pid>/stat`; for direct, the mock) over the round, per completed request; the mock,",
    `the gateway and the load generator share the machine's ${cpu}, so a gateway's req/s also`,
    "depends on what the mock and the load generator leave it. Response cache hit: the same small",
    "prompt with `temperature: 0` (cacheable), every request after the first a hit. Prefix-cache",
    "accounting: a catalog model with a `cache_tariff`, the body with a top-level `cache_control`",
    "marker (the direct path gets the body the gateway forwards, without it).",
  ];
}

function profileSection(runs: readonly ProfileRun[], dir: string | undefined): string[] {
  const out = [
    "## Profile",
    "",
    "`node --cpu-prof --cpu-prof-interval=250` on a fresh gateway child (same config), small prompt,",
    "after a warm-up; only the samples inside the timed window count. Self time as a share of the",
    `busy (non-idle) time. Files: \`${dir ?? "(temp dir)"}\` (open in Chrome DevTools).`,
    "What the usual entries are: [gateway-profile-notes.md](gateway-profile-notes.md).",
  ];
  for (const run of runs) {
    const s = run.summary;
    const perRequest = run.requests > 0 ? (run.cpuMs * 1000) / run.requests : Number.NaN;
    out.push(
      "",
      `### ${run.load}: ${run.requests} requests in ${(run.windowMs / 1000).toFixed(1)} s`,
      "",
      `Gateway CPU time in the window (\`/proc\`, profiler on): ${run.cpuMs.toFixed(0)} ms, ` +
        `${perRequest.toFixed(0)} µs/request; sampled busy ${s.busyMs.toFixed(0)} ms, idle ` +
        `${s.idleMs.toFixed(0)} ms (samples count wall time, so on a loaded machine busy can exceed CPU).`,
      "",
      "By area:",
      "",
      markdownTable(
        ["area", "self ms", "share"],
        s.areas.slice(0, 12).map((a) => [a.area, a.ms.toFixed(1), `${a.pct.toFixed(1)}%`]),
        ["left", "right", "right"],
      ),
      "",
      "Top functions (self time):",
      "",
      markdownTable(
        ["#", "self", "function", "where"],
        s.entries.map((e, i) => [
          String(i + 1),
          `${e.selfPct.toFixed(1)}%`,
          `\`${shortName(e.fn)}\``,
          e.location === "" ? e.area : `\`${e.location}\``,
        ]),
        ["right", "right", "left", "left"],
      ),
      "",
      "The gateway's own functions by inclusive time (callees included; nested entries overlap):",
      "",
      markdownTable(
        ["#", "total", "function", "where"],
        s.inclusive.map((e, i) => [
          String(i + 1),
          `${e.selfPct.toFixed(1)}%`,
          `\`${e.fn}\``,
          `\`${e.location}\``,
        ]),
        ["right", "right", "left", "left"],
      ),
    );
  }
  return out;
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
