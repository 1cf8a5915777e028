import { describe, expect, it } from "vitest";
import { CacheClosedError, L1Cache, LoadTimeoutError } from "../src/index.js";
import { flush, gatedSource } from "./helpers.js";

describe("3. the in-flight record is removed on every path", () => {
  it("after success", async () => {
    const cache = new L1Cache(async (k: string) => k);
    await cache.get("a");
    expect(cache.stats().inFlight).toBe(0);
    await cache.close();
  });

  it("after a rejection: the next get loads again instead of waiting", async () => {
    let calls = 0;
    const cache = new L1Cache(async () => {
      calls++;
      if (calls === 1) throw new Error("first fails");
      return "ok";
    });
    await expect(cache.get("k")).rejects.toThrow("first fails");
    expect(cache.stats().inFlight).toBe(0);
    expect(await cache.get("k")).toBe("ok");
    await cache.close();
  });

  it("after a synchronous throw from load", async () => {
    let calls = 0;
    const cache = new L1Cache((key: string) => {
      calls++;
      if (calls === 1) throw new TypeError("sync boom");
      return Promise.resolve(key);
    });
    await expect(cache.get("k")).rejects.toThrow(TypeError);
    expect(cache.stats().inFlight).toBe(0);
    expect(await cache.get("k")).toBe("k");
    await cache.close();
  });

  it("after a load timeout: callers get a typed LoadTimeoutError and the load is aborted", async () => {
    const source = gatedSource<string>();
    const cache = new L1Cache(source.load, { loadTimeoutMs: 20 });
    const pending = Promise.allSettled([cache.get("slow"), cache.get("slow")]);
    const outcomes = await pending;
    for (const outcome of outcomes) {
      expect(outcome.status).toBe("rejected");
      const reason = (outcome as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(LoadTimeoutError);
      expect(reason.code).toBe("E_LOAD_TIMEOUT");
    }
    expect(source.calls[0]?.context.signal.aborted).toBe(true);
    expect(cache.stats()).toMatchObject({ inFlight: 0, loadTimeouts: 1 });
    // A late answer from the abandoned load is not cached.
    source.calls[0]?.gate.resolve("late");
    await flush();
    expect(cache.peek("slow")).toBeUndefined();
    const retry = cache.get("slow");
    source.calls[1]?.gate.resolve("fresh");
    expect(await retry).toBe("fresh");
    await cache.close();
  });

  it("after every caller aborted: the shared load is aborted and the key is free", async () => {
    const source = gatedSource<string>();
    const cache = new L1Cache(source.load);
    const one = new AbortController();
    const two = new AbortController();
    const a = cache.get("k", { signal: one.signal });
    const b = cache.get("k", { signal: two.signal });
    one.abort(new Error("one gone"));
    await expect(a).rejects.toThrow("one gone");
    expect(source.calls[0]?.context.signal.aborted).toBe(false);
    two.abort(new Error("two gone"));
    await expect(b).rejects.toThrow("two gone");
    expect(source.calls[0]?.context.signal.aborted).toBe(true);
    expect(cache.stats()).toMatchObject({ inFlight: 0, abandonedLoads: 1, aborted: 2 });
    const again = cache.get("k");
    expect(source.calls).toHaveLength(2);
    source.calls[1]?.gate.resolve("v");
    expect(await again).toBe("v");
    await cache.close();
  });

  it("on close(): waiting callers get CacheClosedError and later gets reject too", async () => {
    const source = gatedSource<string>();
    const cache = new L1Cache(source.load);
    const waiting = cache.get("k");
    await cache.close();
    await expect(waiting).rejects.toBeInstanceOf(CacheClosedError);
    expect(cache.stats().inFlight).toBe(0);
    expect(source.calls[0]?.context.signal.aborted).toBe(true);
    await expect(cache.get("k")).rejects.toBeInstanceOf(CacheClosedError);
  });

  it("a caller whose signal is already aborted is rejected at once", async () => {
    const source = gatedSource<string>();
    const cache = new L1Cache(source.load);
    const reason = new Error("pre-aborted");
    await expect(cache.get("k", { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(cache.stats().inFlight).toBe(0);
    await cache.close();
  });
});
