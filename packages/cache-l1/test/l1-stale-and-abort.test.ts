import { describe, expect, it } from "vitest";
import { L1Cache } from "../src/index.js";
import { flush, gatedSource, manualClock } from "./helpers.js";

describe("8. stale-while-revalidate and stale-if-error (opt-in)", () => {
  it("SWR serves stale to many readers while exactly one refresh runs", async () => {
    const clock = manualClock();
    const source = gatedSource<number>();
    const cache = new L1Cache(source.load, {
      ttlMs: 100,
      jitter: 0,
      staleWhileRevalidateMs: 1_000,
      now: clock.now,
    });
    const first = cache.get("k");
    source.calls[0]?.gate.resolve(1);
    await first;
    clock.advance(150);
    const stale = await Promise.all(Array.from({ length: 500 }, () => cache.get("k")));
    expect(stale.every((v) => v === 1)).toBe(true);
    expect(source.calls).toHaveLength(2);
    source.calls[1]?.gate.resolve(2);
    await flush();
    expect(await cache.get("k")).toBe(2);
    expect(cache.stats().staleHits).toBe(500);
    await cache.close();
  });

  it("without SWR an expired entry makes callers wait for the load", async () => {
    const clock = manualClock();
    const source = gatedSource<number>();
    const cache = new L1Cache(source.load, { ttlMs: 100, jitter: 0, now: clock.now });
    cache.set("k", 1);
    clock.advance(100);
    const waiting = cache.get("k");
    source.calls[0]?.gate.resolve(2);
    expect(await waiting).toBe(2);
    await cache.close();
  });

  it("stale-if-error serves the stale value when the reload fails, within its window", async () => {
    const clock = manualClock();
    let fail = false;
    const cache = new L1Cache(
      async () => {
        if (fail) throw new Error("down");
        return "good";
      },
      { ttlMs: 100, jitter: 0, staleIfErrorMs: 500, now: clock.now },
    );
    await cache.get("k");
    fail = true;
    clock.advance(300);
    expect(await cache.get("k")).toBe("good");
    expect(cache.stats().staleIfErrorHits).toBe(1);
    clock.advance(300); // 600 ms: past ttl + staleIfErrorMs
    await expect(cache.get("k")).rejects.toThrow("down");
    await cache.close();
  });

  it("without stale-if-error the reload's error reaches the caller", async () => {
    const clock = manualClock();
    let fail = false;
    const cache = new L1Cache(
      async () => {
        if (fail) throw new Error("down");
        return "good";
      },
      { ttlMs: 100, jitter: 0, now: clock.now },
    );
    await cache.get("k");
    fail = true;
    clock.advance(101);
    await expect(cache.get("k")).rejects.toThrow("down");
    await cache.close();
  });
});

describe("9. per-caller AbortSignal", () => {
  it("aborting one caller does not reject the others or stop the load", async () => {
    const source = gatedSource<string>();
    const cache = new L1Cache(source.load);
    const controller = new AbortController();
    const leaving = cache.get("k", { signal: controller.signal });
    const staying = cache.get("k");
    const alsoStaying = cache.get("k", { signal: new AbortController().signal });
    controller.abort(new Error("caller left"));
    await expect(leaving).rejects.toThrow("caller left");
    expect(source.calls[0]?.context.signal.aborted).toBe(false);
    source.calls[0]?.gate.resolve("value");
    expect(await staying).toBe("value");
    expect(await alsoStaying).toBe("value");
    expect(cache.peek("k")).toBe("value");
    await cache.close();
  });
});

describe("10. stats", () => {
  it("count hits, misses, loads, errors, coalesced waiters, evictions and discarded loads", async () => {
    const source = gatedSource<string>();
    const cache = new L1Cache(source.load, { maxEntries: 1 });
    const a = cache.get("a");
    const a2 = cache.get("a");
    source.calls[0]?.gate.resolve("A");
    await Promise.all([a, a2]);
    await cache.get("a");
    const b = cache.get("b");
    source.calls[1]?.gate.reject(new Error("x"));
    await expect(b).rejects.toThrow();
    const c = cache.get("c");
    cache.invalidate("c");
    source.calls[2]?.gate.resolve("C");
    await c;
    cache.set("d", "D");
    expect(cache.stats()).toEqual({
      hits: 1,
      misses: 4,
      staleHits: 0,
      staleIfErrorHits: 0,
      loads: 3,
      loadErrors: 1,
      loadTimeouts: 0,
      coalesced: 1,
      aborted: 0,
      abandonedLoads: 0,
      discardedLoads: 1,
      evictions: 1,
      expirations: 0,
      inFlight: 0,
      size: 1,
    });
    await cache.close();
  });
});
