import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Client, request } from "undici";
import { environmentLines, formatRatio, markdownTable, writeResult } from "../lib/table.js";
import { Children } from "./gateway/children.js";
import { type OneWordGateway, oneWordBody, startOneWordGateway } from "./gateway-one-word/setup.js";

const RESULT_NAME = "gateway-one-word";
const SIZES_MIB = [1, 5, 10] as const;
/** The goal: the longest block at most this many JSON.parse times. */
const GOAL_RATIO = 3;
/** Requests per size (different words); the table shows the median and the worst. */
const REPEATS = 3;
/** Warm-up requests before the measured ones (a quarter MiB each). */
const WARM_UP_ROUNDS = 3;
const WARM_UP_MIB = 0.25;

interface Case {
  readonly mib: number;
  /** `JSON.parse` of the body's text. */
  readonly parseMs: number;
  /** `JSON.parse` of the body's bytes as the gateway parses a body (UTF-8 decoding included). */
  readonly bytesParseMs: number;
  readonly blockMs: number;
  /** The longest gap counted by the CPU the process used in it (OS preemption left out). */
  readonly busyMs: number;
  readonly p99Ms: number;
  readonly health: { readonly count: number; readonly maxMs: number; readonly p50Ms: number };
  readonly status: number;
  readonly promptTokens: number | undefined;
  readonly servedMs: number;
}

const log = (message: string) => process.stderr.write(`[gateway-one-word] ${message}\n`);

async function json(
  url: string,
  method: "GET" | "POST",
  body: Buffer | null = null,
): Promise<unknown> {
  const res = await request(url, { method, body, headersTimeout: 120_000, bodyTimeout: 120_000 });
  return res.body.json();
}

/** Sequential GET /healthz on one keep-alive connection until `done`; every latency in ms. */
async function probeHealth(origin: string, done: () => boolean): Promise<number[]> {
  const client = new Client(origin, { pipelining: 1 });
  const latencies: number[] = [];
  try {
    while (!done()) {
      const start = performance.now();
      const res = await client.request({ method: "GET", path: "/healthz" });
      await res.body.dump();
      latencies.push(performance.now() - start);
    }
  } finally {
    await client.close();
  }
  return latencies;
}

async function runCase(gateway: OneWordGateway, mib: number, rep: number): Promise<Case> {
  const body = oneWordBody(mib, 20_251_206 + 97 * mib + rep);
  // JSON.parse of the same body's text, timed inside the gateway's process.
  const parse = (await json(`${gateway.monitor}/parse`, "POST", body)) as {
    textMs: number;
    bytesMs: number;
  };
  await json(`${gateway.monitor}/reset`, "POST");
  let finished = false;
  const health = probeHealth(gateway.origin, () => finished);
  const start = performance.now();
  const res = await request(`${gateway.origin}/v1/chat/completions`, {
    method: "POST",
    headers: gateway.headers,
    body,
    headersTimeout: 600_000,
    bodyTimeout: 600_000,
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) log(`${mib} MiB: HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
  const answer = JSON.parse(text) as { usage?: { prompt_tokens?: number } };
  const servedMs = performance.now() - start;
  finished = true;
  const latencies = (await health).sort((a, b) => a - b);
  const loop = (await json(`${gateway.monitor}/read`, "GET")) as {
    maxMs: number;
    p99Ms: number;
    busyMaxMs: number;
  };
  return {
    mib,
    parseMs: parse.textMs,
    bytesParseMs: parse.bytesMs,
    blockMs: loop.maxMs,
    busyMs: loop.busyMaxMs,
    p99Ms: loop.p99Ms,
    health: {
      count: latencies.length,
      maxMs: latencies.at(-1) ?? Number.NaN,
      p50Ms: latencies[latencies.length >> 1] ?? Number.NaN,
    },
    status: res.statusCode,
    promptTokens: answer.usage?.prompt_tokens,
    servedMs,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[sorted.length >> 1] as number;
}

function table(sizes: readonly (readonly Case[])[]): string {
  const f = (n: number, digits = 1) => n.toFixed(digits);
  const both = (runs: readonly Case[], pick: (c: Case) => number, digits = 1) =>
    runs.length === 1
      ? f(pick(runs[0] as Case), digits)
      : `${f(median(runs.map(pick)), digits)} / ${f(Math.max(...runs.map(pick)), digits)}`;
  const rows = sizes.map((runs) => {
    const first = runs[0] as Case;
    const parseMs = median(runs.map((c) => c.parseMs));
    const bytesMs = median(runs.map((c) => c.bytesParseMs));
    const block = median(runs.map((c) => c.blockMs));
    const verdict = (limit: number) => (block <= GOAL_RATIO * limit ? "MET" : "NOT MET");
    const tokens = first.promptTokens;
    return [
      `${first.mib} MiB`,
      [...new Set(runs.map((c) => c.status))].join(", "),
      tokens === undefined ? "-" : tokens.toLocaleString("en-US"),
      both(runs, (c) => c.servedMs / 1000, 2),
      `${f(parseMs, 2)} / ${f(bytesMs, 2)}`,
      both(runs, (c) => c.blockMs),
      `${formatRatio(block / parseMs)} / ${formatRatio(block / bytesMs)}`,
      `${verdict(parseMs)} / ${verdict(bytesMs)}`,
      both(runs, (c) => c.busyMs),
      formatRatio(median(runs.map((c) => c.busyMs)) / parseMs),
      `${Math.min(...runs.map((c) => c.health.count))}`,
      f(median(runs.map((c) => c.health.p50Ms)), 2),
      both(runs, (c) => c.health.maxMs),
      formatRatio(median(runs.map((c) => c.health.maxMs)) / parseMs),
    ];
  });
  return markdownTable(
    [
      "body",
      "status",
      "prompt tokens",
      "served in (s)",
      "JSON.parse: text / bytes (ms)",
      "longest block (ms)",
      "block / parse: text / bytes",
      `goal <= ${GOAL_RATIO}x: text / bytes`,
      "longest busy block (ms)",
      "busy / text parse",
      "/healthz answered",
      "/healthz p50 (ms)",
      "/healthz max (ms)",
      "max / text parse",
    ],
    rows,
    rows[0]?.map((_, i) => (i === 0 || i === 7 ? "left" : "right")),
  );
}

function report(
  main: readonly (readonly Case[])[],
  control: readonly (readonly Case[])[],
  elapsedMs: number,
  load: { readonly start: number; readonly end: number },
): string {
  return [
    "# Gateway: one long word",
    "",
    ...environmentLines(),
    `- Run time: ${(elapsedMs / 1000).toFixed(1)} s; load average ${load.start.toFixed(2)} at the start, ${load.end.toFixed(2)} at the end`,
    "",
    "Chat completions whose only message is one word of 1, 5 or 10 MiB (seeded",
    "random consonant-vowel syllables, no break, no two tokenizer pieces alike),",
    "one at a time, to the gateway (`src/main.ts`; the embedded mock in its",
    "process, as in the demo; body limit raised to 12 MiB), after",
    `${WARM_UP_ROUNDS} warm-up requests of ${WARM_UP_MIB} MiB. The routes are the gateway benchmark's 100`,
    "plus one `input_tokens_gt` route that only the count decides, so the",
    "gateway tokenizes the word for routing and the mock again for usage.",
    "",
    "- **JSON.parse**: medians of 7 calls timed inside the gateway's process,",
    "  on the body's text (`JSON.parse(text)`) and on its bytes as the gateway",
    '  parses a body (`JSON.parse(bytes.toString("utf8"))`, decoding',
    "  included). Ratios and verdicts are given against both.",
    "- **Longest block**: the maximum of `perf_hooks.monitorEventLoopDelay`",
    "  (1 ms resolution) inside the gateway's process while the request was",
    "  served, from just before it was sent to its answer: the longest time",
    "  the event loop was held, by anything (receiving and parsing the body,",
    "  the routes' keyword search, GC, the OS not running the process).",
    "- **Longest busy block**: the same gaps (between ticks of a 1 ms",
    "  interval), each counted only up to the CPU time the process used in it,",
    "  which leaves out time the OS gave to other processes on this machine.",
    "- **/healthz**: sent one after another on one keep-alive connection by",
    "  the bench process meanwhile; latency as the client sees it.",
    "",
    `## Routes as in the gateway benchmark (${REPEATS} requests per size)`,
    "",
    "Cells with two numbers: the median and the worst; ratios use the medians.",
    "",
    table(main),
    "",
    "## Control: the same routes without keyword conditions (1 request per size)",
    "",
    "Each route's `prompt_contains_any_of` replaced by a tag no request sends",
    "(so it still never matches): what is left is receiving, parsing,",
    "tokenizing and sending, without the engine's search of the whole prompt",
    "for each keyword.",
    "",
    table(control),
    "",
  ].join("\n");
}

/** Warm-up, then `repeats` requests per size, logged as they finish. */
async function measure(
  gateway: OneWordGateway,
  sizes: readonly number[],
  repeats: number,
  label: string,
): Promise<Case[][]> {
  log(`${label}: warm-up ...`);
  for (let i = 0; i < WARM_UP_ROUNDS; i++) await runCase(gateway, WARM_UP_MIB, i);
  const results: Case[][] = [];
  for (const mib of sizes) {
    const runs: Case[] = [];
    for (let rep = 0; rep < repeats; rep++) {
      const c = await runCase(gateway, mib, rep);
      log(
        `${label}: ${mib} MiB #${rep + 1}: ${c.status} in ${(c.servedMs / 1000).toFixed(2)} s, longest block ${c.blockMs.toFixed(1)} ms (busy ${c.busyMs.toFixed(1)} ms), JSON.parse ${c.parseMs.toFixed(2)} ms (bytes ${c.bytesParseMs.toFixed(2)} ms)`,
      );
      runs.push(c);
    }
    results.push(runs);
  }
  return results;
}

export async function run(args: readonly string[]): Promise<void> {
  const quick = args.includes("--quick");
  const sizes = quick ? [1] : SIZES_MIB;
  const workDir = mkdtempSync(join(os.tmpdir(), "switchyard-bench-one-word-"));
  const children = new Children(workDir);
  const killOnExit = () => children.killAllSync();
  process.once("exit", killOnExit);
  const started = performance.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  let ok = false;
  try {
    const gateway = await startOneWordGateway(children, workDir, { keywords: true });
    const main = await measure(gateway, sizes, REPEATS, "routes as in the gateway benchmark");
    await children.stop(gateway.child);
    const lean = await startOneWordGateway(children, workDir, { keywords: false });
    const control = await measure(lean, sizes, 1, "routes without keyword conditions");
    await children.stopAll();
    const load = { start: loadBefore, end: os.loadavg()[0] ?? 0 };
    const markdown = report(main, control, performance.now() - started, load);
    console.log(markdown);
    if (quick) console.error("\n--quick: results file not written");
    else console.error(`\nwrote ${await writeResult(RESULT_NAME, markdown)}`);
    ok = true;
  } finally {
    await children.stopAll();
    process.off("exit", killOnExit);
    if (ok) rmSync(workDir, { recursive: true, force: true });
    else console.error(`logs and config kept in ${workDir}`);
  }
}
