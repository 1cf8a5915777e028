import { performance } from "node:perf_hooks";
import type { Client } from "undici";
import { median } from "../../lib/measure.js";
import {
  closedLoop,
  type Failures,
  noFailures,
  percentile,
  pool,
  sequential,
  sequentialStreams,
  singleConnection,
} from "./load.js";
import type { Target, TargetName } from "./targets.js";

/** p50 and p99 in ms. */
export interface Stat {
  readonly p50: number;
  readonly p99: number;
}

/** Median over rounds of each round's percentiles, and of each round's difference to direct. */
export interface LatencyOf {
  readonly stat: Stat | undefined;
  /** Target minus direct, per round, then the median over rounds. */
  readonly added: Stat | undefined;
  readonly samples: number;
  readonly failures: Failures;
}

export type LatencyResult = Partial<Record<TargetName, LatencyOf>>;

export interface Plan {
  readonly rounds: number;
  readonly perRound: number;
  /** Cap on the phase's wall time; rounds stop early past it. */
  readonly budgetMs: number;
}

/** The same body for every path, or one per path (e.g. a marker the gateway strips). */
export type BodyFor = Buffer | ((target: Target) => Buffer);

const bodyOf = (body: BodyFor, target: Target): Buffer =>
  typeof body === "function" ? body(target) : body;

/** Each round visits the targets in a rotated order, so no target always runs first or last. */
function rotated<T>(items: readonly T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function mergeFailures(into: Failures, from: Failures): void {
  into.count += from.count;
  into.first ??= from.first;
}

function medianStat(stats: readonly Stat[]): Stat | undefined {
  if (stats.length === 0) return undefined;
  return { p50: median(stats.map((s) => s.p50)), p99: median(stats.map((s) => s.p99)) };
}

/** One request at a time per target over its own keep-alive connection, in alternating rounds. */
export async function latencyRounds(
  targets: readonly Target[],
  body: BodyFor,
  plan: Plan,
): Promise<LatencyResult> {
  const clients = new Map<TargetName, Client>(targets.map((t) => [t.name, singleConnection(t)]));
  const perRound = new Map<TargetName, Stat[]>();
  const added = new Map<TargetName, Stat[]>();
  const failures = new Map<TargetName, Failures>(targets.map((t) => [t.name, noFailures()]));
  const samples = new Map<TargetName, number>();
  const deadline = performance.now() + plan.budgetMs;
  try {
    for (let round = 0; round < plan.rounds && performance.now() < deadline; round++) {
      const thisRound = new Map<TargetName, Stat>();
      for (const target of rotated(targets, round)) {
        const client = clients.get(target.name) as Client;
        const series = await sequential(
          client,
          target,
          bodyOf(body, target),
          plan.perRound,
          deadline,
        );
        mergeFailures(failures.get(target.name) as Failures, series.failures);
        samples.set(target.name, (samples.get(target.name) ?? 0) + series.latencies.length);
        if (series.latencies.length === 0) continue;
        const stat = {
          p50: percentile(series.latencies, 50),
          p99: percentile(series.latencies, 99),
        };
        thisRound.set(target.name, stat);
        perRound.set(target.name, [...(perRound.get(target.name) ?? []), stat]);
      }
      const direct = thisRound.get("direct");
      if (direct === undefined) continue;
      for (const [name, stat] of thisRound) {
        if (name === "direct") continue;
        const diff = { p50: stat.p50 - direct.p50, p99: stat.p99 - direct.p99 };
        added.set(name, [...(added.get(name) ?? []), diff]);
      }
    }
  } finally {
    await Promise.all([...clients.values()].map((c) => c.close()));
  }
  const out: LatencyResult = {};
  for (const target of targets) {
    out[target.name] = {
      stat: medianStat(perRound.get(target.name) ?? []),
      added: target.name === "direct" ? undefined : medianStat(added.get(target.name) ?? []),
      samples: samples.get(target.name) ?? 0,
      failures: failures.get(target.name) as Failures,
    };
  }
  return out;
}

export interface StreamOf {
  readonly ttft: LatencyOf;
  /** Gaps between content events. */
  readonly gap: LatencyOf;
}

export type StreamResult = Partial<Record<TargetName, StreamOf>>;

/** Streamed requests one at a time, alternating rounds: TTFT and per-chunk gaps, each vs direct. */
export async function streamRounds(
  targets: readonly Target[],
  body: BodyFor,
  plan: Plan,
): Promise<StreamResult> {
  const clients = new Map<TargetName, Client>(targets.map((t) => [t.name, singleConnection(t)]));
  const ttft = new Map<TargetName, Stat[]>();
  const gap = new Map<TargetName, Stat[]>();
  const addedTtft = new Map<TargetName, Stat[]>();
  const addedGap = new Map<TargetName, Stat[]>();
  const failures = new Map<TargetName, Failures>(targets.map((t) => [t.name, noFailures()]));
  const streams = new Map<TargetName, number>();
  const gapCount = new Map<TargetName, number>();
  const push = (map: Map<TargetName, Stat[]>, name: TargetName, stat: Stat) =>
    map.set(name, [...(map.get(name) ?? []), stat]);
  const deadline = performance.now() + plan.budgetMs;
  try {
    for (let round = 0; round < plan.rounds && performance.now() < deadline; round++) {
      const roundTtft = new Map<TargetName, Stat>();
      const roundGap = new Map<TargetName, Stat>();
      for (const target of rotated(targets, round)) {
        const client = clients.get(target.name) as Client;
        const r = await sequentialStreams(
          client,
          target,
          bodyOf(body, target),
          plan.perRound,
          deadline,
        );
        mergeFailures(failures.get(target.name) as Failures, r.failures);
        streams.set(target.name, (streams.get(target.name) ?? 0) + r.ttft.length);
        gapCount.set(target.name, (gapCount.get(target.name) ?? 0) + r.gaps.length);
        if (r.ttft.length > 0) {
          const s = { p50: percentile(r.ttft, 50), p99: percentile(r.ttft, 99) };
          roundTtft.set(target.name, s);
          push(ttft, target.name, s);
        }
        if (r.gaps.length > 0) {
          const s = { p50: percentile(r.gaps, 50), p99: percentile(r.gaps, 99) };
          roundGap.set(target.name, s);
          push(gap, target.name, s);
        }
      }
      for (const [source, sink] of [
        [roundTtft, addedTtft],
        [roundGap, addedGap],
      ] as const) {
        const direct = source.get("direct");
        if (direct === undefined) continue;
        for (const [name, s] of source) {
          if (name !== "direct") {
            push(sink, name, { p50: s.p50 - direct.p50, p99: s.p99 - direct.p99 });
          }
        }
      }
    }
  } finally {
    await Promise.all([...clients.values()].map((c) => c.close()));
  }
  const out: StreamResult = {};
  for (const target of targets) {
    const f = failures.get(target.name) as Failures;
    const isDirect = target.name === "direct";
    out[target.name] = {
      ttft: {
        stat: medianStat(ttft.get(target.name) ?? []),
        added: isDirect ? undefined : medianStat(addedTtft.get(target.name) ?? []),
        samples: streams.get(target.name) ?? 0,
        failures: f,
      },
      gap: {
        stat: medianStat(gap.get(target.name) ?? []),
        added: isDirect ? undefined : medianStat(addedGap.get(target.name) ?? []),
        samples: gapCount.get(target.name) ?? 0,
        failures: f,
      },
    };
  }
  return out;
}

export interface ThroughputOf {
  /** Medians over rounds. */
  readonly rps: number;
  readonly p99: number;
  readonly cpuUsPerRequest: number;
  readonly completed: number;
  readonly failures: Failures;
}

export type ThroughputResult = Partial<Record<TargetName, ThroughputOf>>;

export interface LoadPlan {
  readonly rounds: number;
  readonly durationMs: number;
  /** Untimed load on fresh connections before the rounds. */
  readonly warmupMs: number;
  readonly maxRequests: number;
}

/** Closed-loop load at `connections`, alternating targets round by round. */
export async function throughputRounds(
  targets: readonly Target[],
  body: BodyFor,
  connections: number,
  plan: LoadPlan,
): Promise<ThroughputResult> {
  const pools = new Map(targets.map((t) => [t.name, pool(t, connections)]));
  const rounds = new Map<TargetName, { rps: number; p99: number; cpu: number }[]>();
  const failures = new Map<TargetName, Failures>(targets.map((t) => [t.name, noFailures()]));
  const completed = new Map<TargetName, number>();
  try {
    for (const target of targets) {
      const p = pools.get(target.name) as ReturnType<typeof pool>;
      await closedLoop(
        p,
        target,
        bodyOf(body, target),
        connections,
        plan.warmupMs,
        plan.maxRequests,
      );
    }
    for (let round = 0; round < plan.rounds; round++) {
      for (const target of rotated(targets, round)) {
        const p = pools.get(target.name) as ReturnType<typeof pool>;
        const r = await closedLoop(
          p,
          target,
          bodyOf(body, target),
          connections,
          plan.durationMs,
          plan.maxRequests,
        );
        mergeFailures(failures.get(target.name) as Failures, r.failures);
        completed.set(target.name, (completed.get(target.name) ?? 0) + r.completed);
        if (r.completed === 0) continue;
        rounds.set(target.name, [
          ...(rounds.get(target.name) ?? []),
          { rps: r.rps, p99: percentile(r.latencies, 99), cpu: r.cpuUsPerRequest },
        ]);
      }
    }
  } finally {
    await Promise.all([...pools.values()].map((p) => p.close()));
  }
  const out: ThroughputResult = {};
  for (const target of targets) {
    const list = rounds.get(target.name) ?? [];
    out[target.name] = {
      rps: list.length === 0 ? 0 : median(list.map((r) => r.rps)),
      p99: median(list.map((r) => r.p99)),
      cpuUsPerRequest: median(list.map((r) => r.cpu)),
      completed: completed.get(target.name) ?? 0,
      failures: failures.get(target.name) as Failures,
    };
  }
  return out;
}
