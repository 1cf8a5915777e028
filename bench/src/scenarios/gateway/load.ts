import { performance } from "node:perf_hooks";
import { Client, type Dispatcher, Pool } from "undici";
import { cpuTimeMs } from "./children.js";
import type { Target } from "./targets.js";

/** Per-request limits: a hung target fails its requests instead of hanging the run. */
const TIMEOUTS = { headersTimeout: 10_000, bodyTimeout: 10_000, keepAliveTimeout: 30_000 };

/** One keep-alive connection: the one-request-at-a-time loads. */
export function singleConnection(target: Target): Client {
  return new Client(target.origin, { ...TIMEOUTS, pipelining: 1 });
}

/** `connections` keep-alive connections, one request in flight on each. */
export function pool(target: Target, connections: number): Pool {
  return new Pool(target.origin, { ...TIMEOUTS, connections, pipelining: 1 });
}

/** What a request gave back beyond its timing. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** One request, body read in full; `text` only when asked for (decoding costs the load generator). */
export async function send(
  d: Dispatcher,
  target: Target,
  body: Buffer,
  keepText = false,
): Promise<Reply> {
  const res = await d.request({ method: "POST", path: target.path, headers: target.headers, body });
  if (keepText || res.statusCode !== 200) {
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }
  for await (const _chunk of res.body) {
    // drain
  }
  return { status: res.statusCode, headers: res.headers, text: "" };
}

/** Errors of a series: how many, and the first one's description. */
export interface Failures {
  count: number;
  first: string | undefined;
}

export const noFailures = (): Failures => ({ count: 0, first: undefined });

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

function recordFailure(failures: Failures, description: string): void {
  failures.count++;
  failures.first ??= description.replace(/\s+/g, " ").slice(0, 160);
}

/** A non-200 answer as a failure description. */
function statusFailure(reply: Reply): string {
  return `HTTP ${reply.status}: ${reply.text}`;
}

export interface Series {
  /** Latencies of the successful requests, ms. */
  readonly latencies: number[];
  readonly failures: Failures;
}

/** `count` requests one after the other (stops early at `deadline`, a `performance.now()` time). */
export async function sequential(
  d: Dispatcher,
  target: Target,
  body: Buffer,
  count: number,
  deadline: number,
): Promise<Series> {
  const latencies: number[] = [];
  const failures = noFailures();
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const started = performance.now();
    try {
      const reply = await send(d, target, body);
      const elapsed = performance.now() - started;
      if (reply.status === 200) latencies.push(elapsed);
      else recordFailure(failures, statusFailure(reply));
    } catch (error) {
      recordFailure(failures, describe(error));
    }
  }
  return { latencies, failures };
}

export interface LoadResult {
  readonly completed: number;
  readonly elapsedMs: number;
  /** Completed requests per second. */
  readonly rps: number;
  readonly latencies: Float64Array;
  readonly failures: Failures;
  /** CPU time of the target's process per completed request, µs. */
  readonly cpuUsPerRequest: number;
}

/**
 * A closed loop: `connections` workers, each sending its next request as
 * soon as the previous one finished, for `durationMs` (and at most
 * `maxRequests`). CPU is read from `/proc/<pid>/stat` of the target's process
 * around the window.
 */
export async function closedLoop(
  d: Dispatcher,
  target: Target,
  body: Buffer,
  connections: number,
  durationMs: number,
  maxRequests: number,
): Promise<LoadResult> {
  const latencies = new Float64Array(maxRequests);
  const failures = noFailures();
  let started = 0;
  let completed = 0;
  const cpuBefore = cpuTimeMs(target.pid);
  const begin = performance.now();
  const end = begin + durationMs;
  const worker = async (): Promise<void> => {
    while (started < maxRequests && performance.now() < end) {
      started++;
      const t0 = performance.now();
      try {
        const reply = await send(d, target, body);
        if (reply.status === 200) latencies[completed++] = performance.now() - t0;
        else recordFailure(failures, statusFailure(reply));
      } catch (error) {
        recordFailure(failures, describe(error));
        // A refused or reset connection fails fast: do not spin on it.
        if (failures.count > 1_000) return;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsedMs = performance.now() - begin;
  const cpuMs = cpuTimeMs(target.pid) - cpuBefore;
  return {
    completed,
    elapsedMs,
    rps: (completed * 1000) / elapsedMs,
    latencies: latencies.subarray(0, completed),
    failures,
    cpuUsPerRequest: completed === 0 ? Number.NaN : (cpuMs * 1000) / completed,
  };
}

export interface StreamTiming {
  /** Request start to the first content event, ms. */
  readonly ttftMs: number;
  /** Gaps between consecutive content events, ms. */
  readonly gaps: number[];
}

/**
 * One streamed request, timed per SSE event: time to the first event with a
 * content delta, and the gaps between content events. A stream that ends
 * without `data: [DONE]` is a failure.
 */
export async function streamOnce(
  d: Dispatcher,
  target: Target,
  body: Buffer,
): Promise<StreamTiming> {
  const started = performance.now();
  const res = await d.request({ method: "POST", path: target.path, headers: target.headers, body });
  if (res.statusCode !== 200) {
    throw new Error(`HTTP ${res.statusCode}: ${await res.body.text()}`);
  }
  let pending = "";
  let ttft = -1;
  let last = 0;
  let done = false;
  const gaps: number[] = [];
  for await (const chunk of res.body) {
    const now = performance.now();
    pending += (chunk as Buffer).toString("utf8");
    const events = pending.split(/\r?\n\r?\n/);
    pending = events.pop() ?? "";
    for (const event of events) {
      if (event.includes("[DONE]")) done = true;
      if (!event.includes('"content":"')) continue;
      if (ttft < 0) ttft = now - started;
      else gaps.push(now - last);
      last = now;
    }
  }
  if (!done) throw new Error("stream ended without data: [DONE]");
  if (ttft < 0) throw new Error("stream had no content event");
  return { ttftMs: ttft, gaps };
}

/** Streams one after the other; failures counted like `sequential`. */
export async function sequentialStreams(
  d: Dispatcher,
  target: Target,
  body: Buffer,
  count: number,
  deadline: number,
): Promise<{ ttft: number[]; gaps: number[]; failures: Failures }> {
  const ttft: number[] = [];
  const gaps: number[] = [];
  const failures = noFailures();
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    try {
      const timing = await streamOnce(d, target, body);
      ttft.push(timing.ttftMs);
      gaps.push(...timing.gaps);
    } catch (error) {
      recordFailure(failures, describe(error));
    }
  }
  return { ttft, gaps, failures };
}

/** Nearest-rank percentile of unsorted values (copied and sorted). */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}
