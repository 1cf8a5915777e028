import { describe, expect, it } from "vitest";
import {
  type GetStatus,
  L1Cache,
  type L1CacheOptions,
  type L1LoadContext,
  LoadTimeoutError,
} from "../src/index.js";
import { deferred, flush, manualClock } from "./helpers.js";

/** A loader that runs the per-call context it is handed (the shape a request-scoped loader takes). */
type Job<V> = (signal: AbortSignal) => Promise<V>;
const runContext = <V>(_key: string, { signal, context }: L1LoadContext<Job<V>>) => context(signal);

/** A job that records that it ran and waits until the test settles it. */
function gatedJob<V>() {
  const gate = deferred<V>();
  const job = Object.assign(
    (signal: AbortSignal) => {
      job.runs++;
      job.signal = signal;
      return gate.promise;
    },
    { runs: 0, signal: undefined as AbortSignal | undefined, gate },
  );
  return job;
}

/** A cache of such loaders on a manual clock: TTL 100 ms, no jitter. */
function clockedCache(options: L1CacheOptions) {
  const clock = manualClock();
  const cache = new L1Cache<string, string, Job<string>>(runContext, {
    ttlMs: 100,
    jitter: 0,
    now: clock.now,
    ...options,
  });
  return { clock, cache };
}

describe("11. per-call context", () => {
  it("reaches the loader of the call that starts the load; joiners' contexts never run", async () => {
    const cache = new L1Cache<string, string, Job<string>>(runContext);
    const first = gatedJob<string>();
    const second = gatedJob<string>();
    const a = cache.get("k", { context: first });
    const b = cache.get("k", { context: second });
    expect(first.runs).toBe(1);
    expect(second.runs).toBe(0);
    first.gate.resolve("from first");
    expect(await Promise.all([a, b])).toEqual(["from first", "from first"]);
    expect(second.runs).toBe(0);
    expect(cache.peek("k")).toBe("from first");
    await cache.close();
  });

  it("is the loader's `context` beside its `signal`, also for a CacheSource, and undefined when not given", async () => {
    const seen: unknown[] = [];
    const cache = new L1Cache<string, number>({
      load: (_key, context) => {
        seen.push((context as L1LoadContext).context, context.signal instanceof AbortSignal);
        return 1;
      },
    });
    await cache.get("a", { context: { requestId: "r1" } });
    await cache.get("b");
    expect(seen).toEqual([{ requestId: "r1" }, true, undefined, true]);
    await cache.close();
  });

  it("a stale hit that starts the background refresh hands it its context", async () => {
    const { clock, cache } = clockedCache({ staleWhileRevalidateMs: 1_000 });
    cache.set("k", "old");
    clock.advance(150);
    const refresh = gatedJob<string>();
    const other = gatedJob<string>();
    expect(await cache.get("k", { context: refresh })).toBe("old");
    expect(await cache.get("k", { context: other })).toBe("old"); // the refresh is already running
    expect([refresh.runs, other.runs]).toEqual([1, 0]);
    refresh.gate.resolve("new");
    await flush();
    expect(cache.peek("k")).toBe("new");
    await cache.close();
  });

  it("is required by the types when the context type excludes undefined", async () => {
    const cache = new L1Cache<string, string, Job<string>>(runContext);
    cache.set("k", "v");
    // @ts-expect-error a cache whose loader needs a context must be given one
    expect(await cache.get("k")).toBe("v");
    await cache.close();
  });
});

describe("12. status: how a get was answered", () => {
  it("miss for the caller that starts the load, coalesced for joiners, set before get returns", async () => {
    const cache = new L1Cache<string, string, Job<string>>(runContext);
    const job = gatedJob<string>();
    const starter: GetStatus = {};
    const joiner: GetStatus = {};
    const a = cache.get("k", { context: job, status: starter });
    const b = cache.get("k", { context: gatedJob<string>(), status: joiner });
    expect(starter).toEqual({ result: "miss" });
    expect(joiner).toEqual({ result: "coalesced" });
    job.gate.resolve("v");
    await Promise.all([a, b]);
    expect(starter).toEqual({ result: "miss", settled: "loaded" });
    expect(joiner).toEqual({ result: "coalesced", settled: "loaded" });
    expect(cache.stats()).toMatchObject({ loads: 1, coalesced: 1, misses: 2 });
    await cache.close();
  });

  it("hit for a cached value (loaded or set), with no load and no context run", async () => {
    const cache = new L1Cache<string, string, Job<string>>(runContext);
    await cache.get("loaded", { context: async () => "L" });
    cache.set("stored", "S");
    const job = gatedJob<string>();
    const loaded: GetStatus = {};
    const stored: GetStatus = {};
    expect(await cache.get("loaded", { context: job, status: loaded })).toBe("L");
    expect(await cache.get("stored", { context: job, status: stored })).toBe("S");
    expect(loaded).toEqual({ result: "hit" });
    expect(stored).toEqual({ result: "hit" });
    expect(job.runs).toBe(0);
    await cache.close();
  });

  it("stale while a background load refreshes; miss again once past the window", async () => {
    const clock = manualClock();
    const cache = new L1Cache<string, string>(async () => "fresh", {
      ttlMs: 100,
      jitter: 0,
      staleWhileRevalidateMs: 100,
      now: clock.now,
    });
    cache.set("k", "old");
    clock.advance(150);
    const stale: GetStatus = {};
    expect(await cache.get("k", { status: stale })).toBe("old");
    expect(stale).toEqual({ result: "stale" });
    cache.set("gone", "old");
    clock.advance(300);
    const miss: GetStatus = {};
    expect(await cache.get("gone", { status: miss })).toBe("fresh");
    expect(miss).toEqual({ result: "miss", settled: "loaded" });
    await cache.close();
  });

  it("settled: error for every caller of a failed load, staleIfError when the stale value was served", async () => {
    const { clock, cache } = clockedCache({ staleIfErrorMs: 500 });
    const failing = async (): Promise<string> => {
      throw new Error("down");
    };
    const starter: GetStatus = {};
    const joiner: GetStatus = {};
    const outcomes = await Promise.allSettled([
      cache.get("cold", { context: failing, status: starter }),
      cache.get("cold", { context: failing, status: joiner }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect(starter).toEqual({ result: "miss", settled: "error" });
    expect(joiner).toEqual({ result: "coalesced", settled: "error" });
    cache.set("warm", "old");
    clock.advance(200);
    const served: GetStatus = {};
    expect(await cache.get("warm", { context: failing, status: served })).toBe("old");
    expect(served).toEqual({ result: "miss", settled: "staleIfError" });
    await cache.close();
  });

  it("settled: error on a load timeout and after close()", async () => {
    const cache = new L1Cache<string, string, Job<string>>(runContext, { loadTimeoutMs: 5 });
    const timedOut: GetStatus = {};
    await expect(
      cache.get("k", { context: () => new Promise<string>(() => {}), status: timedOut }),
    ).rejects.toBeInstanceOf(LoadTimeoutError);
    expect(timedOut).toEqual({ result: "miss", settled: "error" });
    await cache.close();
    const closed: GetStatus = {};
    await expect(cache.get("k", { context: async () => "v", status: closed })).rejects.toThrow(
      "closed",
    );
    expect(closed).toEqual({ result: "miss", settled: "error" });
  });
});

describe("13. context and status with per-caller AbortSignal", () => {
  it("the starter leaving does not stop its load: a joiner still gets the value it loads", async () => {
    const cache = new L1Cache<string, string, Job<string>>(runContext);
    const job = gatedJob<string>();
    const controller = new AbortController();
    const starter: GetStatus = {};
    const joiner: GetStatus = {};
    const leaving = cache.get("k", { context: job, signal: controller.signal, status: starter });
    const staying = cache.get("k", { context: gatedJob<string>(), status: joiner });
    controller.abort(new Error("starter left"));
    await expect(leaving).rejects.toThrow("starter left");
    expect(starter).toEqual({ result: "miss", settled: "aborted" });
    expect(job.signal?.aborted).toBe(false);
    job.gate.resolve("v");
    expect(await staying).toBe("v");
    expect(joiner).toEqual({ result: "coalesced", settled: "loaded" });
    expect(cache.peek("k")).toBe("v");
    await cache.close();
  });

  it("when every caller leaves, the signal the context received is aborted", async () => {
    const cache = new L1Cache<string, string, Job<string>>(runContext);
    const job = gatedJob<string>();
    const first = new AbortController();
    const second = new AbortController();
    const statuses: GetStatus[] = [{}, {}];
    const calls = [
      cache.get("k", { context: job, signal: first.signal, status: statuses[0] }),
      cache.get("k", { context: gatedJob<string>(), signal: second.signal, status: statuses[1] }),
    ];
    first.abort(new Error("first left"));
    expect(job.signal?.aborted).toBe(false);
    second.abort(new Error("second left"));
    expect(job.signal?.aborted).toBe(true);
    await Promise.allSettled(calls);
    expect(statuses).toEqual([
      { result: "miss", settled: "aborted" },
      { result: "coalesced", settled: "aborted" },
    ]);
    expect(cache.stats()).toMatchObject({ abandonedLoads: 1, inFlight: 0 });
    await cache.close();
  });

  it("a signal aborted before the call: the caller is rejected, status aborted, no load left running", async () => {
    const cache = new L1Cache<string, string, Job<string>>(runContext);
    const job = gatedJob<string>();
    const status: GetStatus = {};
    await expect(
      cache.get("k", { context: job, signal: AbortSignal.abort(new Error("gone")), status }),
    ).rejects.toThrow("gone");
    expect(status).toEqual({ result: "miss", settled: "aborted" });
    expect(job.signal?.aborted).toBe(true);
    expect(cache.stats().inFlight).toBe(0);
    await cache.close();
  });
});
