import { afterEach, describe, expect, it, vi } from "vitest";
import { InvalidCacheOptionsError, L1Cache } from "../src/index.js";
import { manualClock } from "./helpers.js";

describe("5. errors are not cached; negativeTtlMs caches a not-found answer", () => {
  it("a failed load is retried by the next get", async () => {
    let calls = 0;
    const cache = new L1Cache(async () => {
      calls++;
      throw new Error(`fail ${calls}`);
    });
    await expect(cache.get("k")).rejects.toThrow("fail 1");
    await expect(cache.get("k")).rejects.toThrow("fail 2");
    expect(cache.size).toBe(0);
    await cache.close();
  });

  it("without negativeTtlMs an undefined answer is returned but not cached", async () => {
    let calls = 0;
    const cache = new L1Cache(async () => {
      calls++;
      return undefined;
    });
    expect(await cache.get("missing")).toBeUndefined();
    await cache.get("missing");
    expect(calls).toBe(2);
    await cache.close();
  });

  it("with negativeTtlMs an undefined answer is cached for that long only", async () => {
    const clock = manualClock();
    let calls = 0;
    const cache = new L1Cache(
      async () => {
        calls++;
        return undefined;
      },
      { negativeTtlMs: 1_000, ttlMs: 60_000, jitter: 0, now: clock.now },
    );
    await cache.get("missing");
    await cache.get("missing");
    expect(calls).toBe(1);
    clock.advance(1_000);
    await cache.get("missing");
    expect(calls).toBe(2);
    await cache.close();
  });
});

describe("6. bounded, scan-resistant, no per-entry timers, expiry on read", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("never holds more than maxEntries", async () => {
    const cache = new L1Cache(async (k: number) => k, { maxEntries: 100 });
    for (let i = 0; i < 1_000; i++) await cache.get(i);
    expect(cache.size).toBe(100);
    expect(cache.stats().evictions).toBe(900);
    await cache.close();
  });

  it("SIEVE keeps a hot set through a scan of one-time keys (plain LRU would lose it)", async () => {
    const cache = new L1Cache(async (k: string) => k, { maxEntries: 100 });
    const hot = Array.from({ length: 50 }, (_, i) => `hot-${i}`);
    for (const key of hot) await cache.get(key);
    for (const key of hot) await cache.get(key); // visited once
    for (let i = 0; i < 500; i++) await cache.get(`scan-${i}`);
    const survivors = hot.filter((key) => cache.peek(key) !== undefined);
    expect(survivors.length).toBeGreaterThanOrEqual(49);
    await cache.close();
  });

  it("schedules no timer per entry", async () => {
    vi.useFakeTimers();
    const cache = new L1Cache(async (k: number) => k, { ttlMs: 1_000 });
    const baseline = vi.getTimerCount();
    for (let i = 0; i < 1_000; i++) cache.set(i, i);
    expect(vi.getTimerCount()).toBe(baseline);
    await cache.close();
  });

  it("an expired entry is a miss on read", async () => {
    const clock = manualClock();
    let calls = 0;
    const cache = new L1Cache(async () => ++calls, { ttlMs: 500, jitter: 0, now: clock.now });
    expect(await cache.get("k")).toBe(1);
    clock.advance(499);
    expect(await cache.get("k")).toBe(1);
    clock.advance(1);
    expect(cache.peek("k")).toBeUndefined();
    expect(await cache.get("k")).toBe(2);
    await cache.close();
  });

  it("dead entries are swept as new ones arrive", async () => {
    const clock = manualClock();
    const cache = new L1Cache(async (k: number) => k, {
      ttlMs: 100,
      jitter: 0,
      now: clock.now,
      maxEntries: Number.POSITIVE_INFINITY,
    });
    for (let i = 0; i < 200; i++) cache.set(i, i);
    clock.advance(100);
    for (let i = 200; i < 400; i++) cache.set(i, i);
    expect(cache.size).toBe(200);
    expect(cache.stats().expirations).toBe(200);
    await cache.close();
  });

  it("TTLs longer than 24.8 days work (and Infinity never expires)", async () => {
    const clock = manualClock();
    const ttlMs = 40 * 24 * 3_600_000;
    const cache = new L1Cache(async () => "v", { ttlMs, jitter: 0, now: clock.now });
    cache.set("k", "v");
    clock.advance(30 * 24 * 3_600_000);
    expect(cache.peek("k")).toBe("v");
    clock.advance(10 * 24 * 3_600_000);
    expect(cache.peek("k")).toBeUndefined();
    const forever = new L1Cache(async () => "v", {
      ttlMs: Number.POSITIVE_INFINITY,
      now: clock.now,
    });
    forever.set("k", "v");
    clock.advance(1e12);
    expect(forever.peek("k")).toBe("v");
    await cache.close();
    await forever.close();
  });
});

describe("7. TTL jitter", () => {
  it("spreads expiries within ttl × (1 ± jitter)", async () => {
    const clock = manualClock();
    const cache = new L1Cache(async (k: number) => k, {
      ttlMs: 1_000,
      jitter: 0.1,
      now: clock.now,
      maxEntries: 10_000,
    });
    for (let i = 0; i < 1_000; i++) cache.set(i, i);
    clock.advance(899);
    const aliveAt899 = countAlive(cache);
    clock.advance(100); // 999
    const aliveAt999 = countAlive(cache);
    clock.advance(101); // 1100
    expect(aliveAt899).toBe(1_000);
    expect(aliveAt999).toBeGreaterThan(300);
    expect(aliveAt999).toBeLessThan(700);
    expect(countAlive(cache)).toBe(0);
    await cache.close();
  });

  it("jitter: 0 expires every entry at exactly ttlMs", async () => {
    const clock = manualClock();
    const cache = new L1Cache(async (k: number) => k, { ttlMs: 1_000, jitter: 0, now: clock.now });
    for (let i = 0; i < 100; i++) cache.set(i, i);
    clock.advance(999);
    expect(countAlive(cache)).toBe(100);
    clock.advance(1);
    expect(countAlive(cache)).toBe(0);
    await cache.close();
  });
});

function countAlive(cache: L1Cache<number, number>): number {
  let alive = 0;
  for (let i = 0; i < 1_000; i++) if (cache.peek(i) !== undefined) alive++;
  return alive;
}

describe("options are validated once at construction", () => {
  it.each([
    [{ ttlMs: -1 }, "ttlMs"],
    [{ maxEntries: 0 }, "maxEntries"],
    [{ maxEntries: 1.5 }, "maxEntries"],
    [{ jitter: 1 }, "jitter"],
    [{ loadTimeoutMs: 2 ** 31 }, "loadTimeoutMs"],
    [{ staleIfErrorMs: Number.NaN }, "staleIfErrorMs"],
  ])("rejects %o naming %s", (options, name) => {
    expect(() => new L1Cache(async () => 1, options)).toThrow(InvalidCacheOptionsError);
    expect(() => new L1Cache(async () => 1, options)).toThrow(name);
  });
});
