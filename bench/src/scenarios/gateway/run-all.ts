import { performance } from "node:perf_hooks";
import type { Children } from "./children.js";
import { ACCOUNTED_MODEL, HOT_MODEL, STREAM_MODEL } from "./config.js";
import { closedLoop, pool, sequential, sequentialStreams, singleConnection } from "./load.js";
import {
  type LatencyResult,
  latencyRounds,
  type StreamResult,
  streamRounds,
  type ThroughputResult,
  throughputRounds,
} from "./phases.js";
import { type LoggedError, loggedErrors } from "./portkey-log.js";
import { probe, probeFailure, promptTokens, usageOf } from "./probe.js";
import { type ProfileRun, profileRun } from "./profile-run.js";
import { chatBody } from "./prompts.js";
import type { Settings } from "./settings.js";
import {
  type Mock,
  startFloor,
  startMock,
  startOurs,
  startPortkey,
  type Target,
} from "./targets.js";

/** ~200 and ~20k tokens of prompt (the exact counts, from the mock's usage, are in the report). */
const SMALL_WORDS = 70;
const LARGE_WORDS = 9_200;

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
      profiles.push(await profileRun(children, mock, workDir, profileDir, load, b.small, settings));
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
