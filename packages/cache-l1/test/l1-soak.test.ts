import { describe, expect, it } from "vitest";
import { L1Cache } from "../src/index.js";

describe("soak: mixed errors, timeouts and aborts", () => {
  it("returns the in-flight count to 0 and leaves no waiting caller behind", async () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const cache = new L1Cache(
      (key: number, { signal }) =>
        new Promise<number>((resolve, reject) => {
          const roll = random();
          const delay = Math.floor(random() * 8);
          if (roll < 0.1) throw new Error("sync failure");
          const timer = setTimeout(() => {
            if (roll < 0.35) reject(new Error("async failure"));
            else if (roll < 0.45)
              return; // never answers: only the timeout ends it
            else resolve(key);
          }, delay);
          signal.addEventListener("abort", () => clearTimeout(timer));
        }),
      { loadTimeoutMs: 15, maxEntries: 64, ttlMs: 5, jitter: 0.2 },
    );
    const calls: Promise<string>[] = [];
    const settle = (p: Promise<number>) =>
      p.then(
        () => "ok",
        () => "error",
      );
    for (let i = 0; i < 3_000; i++) {
      const key = Math.floor(random() * 40);
      if (random() < 0.3) {
        const controller = new AbortController();
        calls.push(settle(cache.get(key, { signal: controller.signal })));
        setTimeout(() => controller.abort(new Error("gone")), Math.floor(random() * 6));
      } else calls.push(settle(cache.get(key)));
      if (random() < 0.05) cache.invalidate(key);
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    const outcomes = await Promise.all(calls);
    expect(outcomes).toHaveLength(3_000);
    expect(outcomes).toContain("ok");
    expect(outcomes).toContain("error");
    const stats = cache.stats();
    expect(stats.inFlight).toBe(0);
    expect(stats.loadErrors).toBeGreaterThan(0);
    expect(stats.loadTimeouts).toBeGreaterThan(0);
    expect(stats.aborted).toBeGreaterThan(0);
    expect(stats.size).toBeLessThanOrEqual(64);
    await cache.close();
  });
});
