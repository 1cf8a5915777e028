import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { type Children, cpuTimeMs } from "./children.js";
import { ACCOUNTED_MODEL, HOT_MODEL, STREAM_MODEL } from "./config.js";
import { closedLoop, pool, sequential, sequentialStreams, singleConnection } from "./load.js";
import {
  type LatencyResult,
  type LoadPlan,
  latencyRounds,
  type Plan,
  type StreamResult,
  streamRounds,
  type ThroughputResult,
  throughputRounds,
} from "./phases.js";
import { probe, probeFailure, promptTokens, usageOf } from "./probe.js";
import { type ProfileSummary, summarizeProfile } from "./profile.js";
import { chatBody } from "./prompts.js";
import {
  type Mock,
  startFloor,
  startMock,
  startOurs,
  startPortkey,
  type Target,
} from "./targets.js";

export interface Settings {
  readonly small: Plan;
  readonly large: Plan;
  readonly stream: Plan;
  readonly load: LoadPlan;
  readonly connections: readonly number[];
  readonly warmupMs: number;
  /** Length of each profiled load window. */
  readonly profileWindowMs: number;
}

export const FULL: Settings = {
  small: { rounds: 5, perRound: 800, budgetMs: 45_000 },
  large: { rounds: 5, perRound: 40, budgetMs: 45_000 },
  stream: { rounds: 5, perRound: 30, budgetMs: 30_000 },
  load: { rounds: 3, durationMs: 2_000, warmupMs: 400, maxRequests: 200_000 },
  connections: [8, 32, 64],
  warmupMs: 1_000,
  profileWindowMs: 5_000,
};

export const QUICK: Settings = {
  small: { rounds: 2, perRound: 100, budgetMs: 10_000 },
  large: { rounds: 2, perRound: 8, budgetMs: 10_000 },
  stream: { rounds: 2, perRound: 8, budgetMs: 10_000 },
  load: { rounds: 1, durationMs: 500, warmupMs: 100, maxRequests: 50_000 },
  connections: [8, 32, 64],
  warmupMs: 300,
  profileWindowMs: 1_500,
};

/** ~200 and ~20k tokens of prompt (the exact counts, from the mock's usage, are in the report). */
const SMALL_WORDS = 70;
const LARGE_WORDS = 9_200;

export interface ProfileRun {
  readonly load: string;
  readonly file: string;
  readonly requests: number;
  readonly windowMs: number;
  /** The gateway process's CPU time in the window (`/proc/<pid>/stat`), ms. */
  readonly cpuMs: number;
  readonly summary: ProfileSummary;
}

export interface Results {
  readonly portkeyVersion: string;
  /** Why Portkey is missing from every cell, if it did not start. */
  readonly portkeyStart: string | undefined;
  /** Distinct errors Portkey logged during the run (its own account of failed requests). */
  readonly portkeyErrors: readonly LoggedError[];
  readonly tokens: { readonly small: number; readonly large: number };
  /** Requests per round of the large-prompt series (its p99 is each round's maximum). */
  readonly largePerRound: number;
  readonly small: LatencyResult;
  readonly large: LatencyResult;
  readonly stream: StreamResult;
  readonly throughput: ReadonlyArray<{
    readonly connections: number;
    readonly result: ThroughputResult;
  }>;
  readonly cacheHit: { latency: LatencyResult; throughput32: ThroughputResult };
  readonly prefix: { small: LatencyResult; large: LatencyResult; cachedTokens: number };
  readonly profiles: readonly ProfileRun[] | undefined;
  readonly profileDir: string | undefined;
}

export interface LoggedError {
  readonly line: string;
  readonly count: number;
  /** The first stack frames under the first occurrence. */
  readonly frames: readonly string[];
}

/** Error lines of a child's log, deduplicated, with the first three stack frames. */
function loggedErrors(path: string): LoggedError[] {
  let lines: string[];
  try {
    lines = readFileSync(path, "utf8").split("\n");
  } catch {
    return [];
  }
  const found = new Map<string, { count: number; frames: string[] }>();
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!/error/i.test(line) || line.startsWith("at ")) return;
    const entry = found.get(line);
    if (entry) {
      entry.count++;
      return;
    }
    const frames = lines
      .slice(i + 1, i + 4)
      .map((l) => l.trim().replace(/file:\/\/\S*node_modules\/\.pnpm\/[^/]+\/node_modules\//, ""))
      .filter((l) => l.startsWith("at "));
    found.set(line, { count: 1, frames });
  });
  return [...found.entries()].slice(0, 3).map(([line, e]) => ({ line, ...e }));
}

const log = (message: string) => process.stderr.write(`[gateway bench] ${message}\n`);

function bodies() {
  const seed = 90210;
  return {
    small: chatBody({ model: HOT_MODEL, words: SMALL_WORDS, seed }),
    large: chatBody({ model: HOT_MODEL, words: LARGE_WORDS, seed: seed + 1 }),
    stream: chatBody({ model: STREAM_MODEL, words: SMALL_WORDS, seed, stream: true }),
    cacheable: chatBody({ model: HOT_MODEL, words: SMALL_WORDS, seed, deterministic: true }),
    // With a top-level cache_control marker for the gateway, which strips it before forwarding;
    // the direct path gets the stripped body.
    accountedSmall: chatBody({
      model: ACCOUNTED_MODEL,
      words: SMALL_WORDS,
      seed,
      cacheMarker: true,
    }),
    accountedLarge: chatBody({
      model: ACCOUNTED_MODEL,
      words: LARGE_WORDS,
      seed: seed + 1,
      cacheMarker: true,
    }),
    strippedSmall: chatBody({ model: ACCOUNTED_MODEL, words: SMALL_WORDS, seed }),
    strippedLarge: chatBody({ model: ACCOUNTED_MODEL, words: LARGE_WORDS, seed: seed + 1 }),
  };
}

type Bodies = ReturnType<typeof bodies>;

/** The benchmark requests must walk the whole route set and reach the mock unchanged. */
async function checkUnrouted(target: Target, body: Buffer): Promise<void> {
  const r = await probe(target, body);
  if (r.status !== 200) {
    throw new Error(`${target.label}: check request failed: ${probeFailure(r.status, r.json)}`);
  }
  const route = r.header("x-switchyard-route");
  if (route !== undefined) {
    throw new Error(
      `${target.label}: the benchmark request matched route ${route}; fix the route set`,
    );
  }
  const used = r.header("x-switchyard-model-used");
  if (used !== undefined && used !== HOT_MODEL) {
    throw new Error(`${target.label}: dispatched to ${used}, expected ${HOT_MODEL}`);
  }
}

async function tokensOf(mock: Mock, body: Buffer): Promise<number> {
  const r = await probe(mock.target, body);
  const tokens = promptTokens(r.json);
  if (r.status !== 200 || tokens === undefined) {
    throw new Error(`mock: ${probeFailure(r.status, r.json)}`);
  }
  return tokens;
}

async function warmUp(targets: readonly Target[], b: Bodies, ms: number): Promise<void> {
  for (const target of targets) {
    const client = singleConnection(target);
    const deadline = performance.now() + ms * 3;
    await sequential(client, target, b.small, 300, deadline);
    await sequential(client, target, b.large, 10, deadline);
    await sequentialStreams(client, target, b.stream, 10, deadline);
    await client.close();
    const p = pool(target, 32);
    await closedLoop(p, target, b.small, 32, ms, 100_000);
    await p.close();
  }
}

/** Response cache: a `temperature: 0` request answered twice; the second must say `hit`. */
async function checkCacheHit(ours: Target, b: Bodies): Promise<void> {
  await probe(ours, b.cacheable);
  const second = await probe(ours, b.cacheable);
  if (second.status !== 200) {
    throw new Error(`cache probe failed: ${probeFailure(second.status, second.json)}`);
  }
  const header = second.header("x-switchyard-cache");
  if (header !== "hit") {
    throw new Error(
      `a repeated temperature-0 request was no cache hit (x-switchyard-cache: ${header ?? "absent"})`,
    );
  }
}

/** Prefix-cache accounting: the second of two marked requests reads its prefix from the cache. */
async function cachedTokensRead(ours: Target, b: Bodies): Promise<number> {
  await probe(ours, b.accountedLarge);
  const second = await probe(ours, b.accountedLarge);
  if (second.status !== 200) {
    throw new Error(`accounting probe failed: ${probeFailure(second.status, second.json)}`);
  }
  const read = usageOf(second.json)?.cache_read_input_tokens;
  if (typeof read !== "number") {
    throw new Error("the repeated marked request's usage has no cache_read_input_tokens");
  }
  return read;
}

/** `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`: thread 0 is the main thread. */
function mainThreadProfile(dir: string, pid: number): string {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  const main = files.find((f) => f.includes(`.${pid}.0.`));
  if (main === undefined) {
    throw new Error(
      `no main-thread profile of pid ${pid} in ${dir} (found: ${files.join(", ") || "none"})`,
    );
  }
  return join(dir, main);
}

async function profileRun(
  children: Children,
  mock: Mock,
  workDir: string,
  profileDir: string,
  load: "one at a time" | "32 connections",
  b: Bodies,
  settings: Settings,
): Promise<ProfileRun> {
  const name = load === "one at a time" ? "one-at-a-time" : "32-connections";
  const dir = join(profileDir, name);
  mkdirSync(dir, { recursive: true });
  const g = await startOurs(children, {
    name: `profile-${name}`,
    target: "ours",
    mockUrl: mock.url,
    workDir,
    caches: true,
    tokenConditions: true,
    profileDir: dir,
  });
  const target = g.target;
  const warm = singleConnection(target);
  await sequential(warm, target, b.small, 500, performance.now() + 10_000);
  const warmPool = pool(target, 32);
  await closedLoop(warmPool, target, b.small, 32, settings.warmupMs, 100_000);
  await warmPool.close();
  const cpuBefore = cpuTimeMs(g.child.pid);
  const from = Number(process.hrtime.bigint() / 1000n);
  let requests: number;
  if (load === "one at a time") {
    const r = await sequential(
      warm,
      target,
      b.small,
      1_000_000,
      performance.now() + settings.profileWindowMs,
    );
    requests = r.latencies.length;
  } else {
    const p = pool(target, 32);
    const r = await closedLoop(p, target, b.small, 32, settings.profileWindowMs, 500_000);
    requests = r.completed;
    await p.close();
  }
  const to = Number(process.hrtime.bigint() / 1000n);
  const cpuMs = cpuTimeMs(g.child.pid) - cpuBefore;
  await warm.close();
  await children.stop(g.child, 20_000);
  const file = mainThreadProfile(dir, g.child.pid);
  return {
    load,
    file,
    requests,
    windowMs: (to - from) / 1000,
    cpuMs,
    summary: summarizeProfile(file, from, to, 15),
  };
}

export async function runAll(
  children: Children,
  workDir: string,
  settings: Settings,
  profileDir: string | undefined,
  portkeyVersion: string,
): Promise<Results> {
  const b = bodies();
  const t0 = performance.now();
  const phase = (name: string) =>
    log(`${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  phase("starting the mock upstream");
  const mock = await startMock(children);
  phase("starting our gateway (full and lean route sets), the floor proxy and Portkey");
  const portkeyStarting = startPortkey(children, mock.url).then(
    (p) => ({ ok: true as const, value: p }),
    (error: unknown) => ({
      ok: false as const,
      reason: error instanceof Error ? error.message : String(error),
    }),
  );
  const ours = await startOurs(children, {
    name: "switchyard",
    target: "ours",
    mockUrl: mock.url,
    workDir,
    caches: true,
    tokenConditions: true,
  });
  const lean = await startOurs(children, {
    name: "switchyard-lean",
    target: "ours-lean",
    mockUrl: mock.url,
    workDir,
    caches: true,
    tokenConditions: false,
  });
  const floor = await startFloor(children, mock.url);
  const portkey = await portkeyStarting;
  if (!portkey.ok) log(`Portkey did not start: ${portkey.reason}`);

  const tokens = { small: await tokensOf(mock, b.small), large: await tokensOf(mock, b.large) };
  await checkUnrouted(ours.target, b.small);
  await checkUnrouted(ours.target, b.large);
  await checkUnrouted(lean.target, b.small);
  const pk: Target[] = portkey.ok ? [portkey.value.target] : [];
  const main: Target[] = [mock.target, ours.target, floor.target, ...pk];
  const withLean: Target[] = [mock.target, ours.target, lean.target, floor.target, ...pk];

  phase("warming up");
  await warmUp(withLean, b, settings.warmupMs);

  phase("one request at a time, small prompt");
  const small = await latencyRounds(withLean, b.small, settings.small);
  phase("one request at a time, large prompt");
  const large = await latencyRounds(withLean, b.large, settings.large);
  phase("streaming");
  const stream = await streamRounds(main, b.stream, settings.stream);
  const throughput: Results["throughput"][number][] = [];
  for (const connections of settings.connections) {
    phase(`throughput at ${connections} connections`);
    throughput.push({
      connections,
      result: await throughputRounds(main, b.small, connections, settings.load),
    });
  }

  const pair = [mock.target, ours.target];
  phase("response cache hit");
  await checkCacheHit(ours.target, b);
  const cacheHit: Results["cacheHit"] = {
    latency: await latencyRounds(pair, b.cacheable, settings.small),
    throughput32: await throughputRounds(pair, b.cacheable, 32, settings.load),
  };

  phase("prefix-cache accounting");
  const prefix: Results["prefix"] = {
    cachedTokens: await cachedTokensRead(ours.target, b),
    small: await latencyRounds(
      pair,
      (t) => (t.name === "direct" ? b.strippedSmall : b.accountedSmall),
      settings.small,
    ),
    large: await latencyRounds(
      pair,
      (t) => (t.name === "direct" ? b.strippedLarge : b.accountedLarge),
      settings.large,
    ),
  };

  await children.stop(lean.child);
  await children.stop(floor.child);
  const portkeyErrors = portkey.ok ? loggedErrors(portkey.value.child.logPath) : [];
  if (portkey.ok) await children.stop(portkey.value.child);
  let profiles: ProfileRun[] | undefined;
  if (profileDir !== undefined) {
    await children.stop(ours.child);
    profiles = [];
    for (const load of ["one at a time", "32 connections"] as const) {
      phase(`profiling our gateway, ${load}`);
      profiles.push(await profileRun(children, mock, workDir, profileDir, load, b, settings));
    }
  }
  phase("done");
  return {
    portkeyVersion,
    portkeyStart: portkey.ok ? undefined : portkey.reason,
    portkeyErrors,
    tokens,
    largePerRound: settings.large.perRound,
    small,
    large,
    stream,
    throughput,
    cacheHit,
    prefix,
    profiles,
    profileDir,
  };
}
