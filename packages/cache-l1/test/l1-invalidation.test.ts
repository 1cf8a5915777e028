import { describe, expect, it } from "vitest";
import { L1Cache } from "../src/index.js";
import { gatedSource } from "./helpers.js";

describe("4. race-free invalidation", () => {
  it("invalidate during a load: its callers get the result, but it is not cached", async () => {
    const source = gatedSource<string>();
    const cache = new L1Cache(source.load);
    const before = cache.get("k");
    cache.invalidate("k");
    source.calls[0]?.gate.resolve("old");
    expect(await before).toBe("old");
    expect(cache.peek("k")).toBeUndefined();
    expect(cache.stats().discardedLoads).toBe(1);
    await cache.close();
  });

  it("a get after invalidate starts a new load instead of joining the stale one", async () => {
    const source = gatedSource<string>();
    const cache = new L1Cache(source.load);
    const stale = cache.get("k");
    cache.invalidate("k");
    const fresh = cache.get("k");
    expect(source.calls).toHaveLength(2);
    source.calls[1]?.gate.resolve("new");
    source.calls[0]?.gate.resolve("old");
    expect(await stale).toBe("old");
    expect(await fresh).toBe("new");
    expect(cache.peek("k")).toBe("new");
    await cache.close();
  });

  it("clear during loads discards every one of them, in O(1)", async () => {
    const source = gatedSource<string>();
    const cache = new L1Cache(source.load);
    cache.set("warm", "w");
    const loads = ["a", "b", "c"].map((k) => cache.get(k));
    cache.clear();
    for (const call of source.calls) call.gate.resolve(`${call.key}-old`);
    expect(await Promise.all(loads)).toEqual(["a-old", "b-old", "c-old"]);
    expect(cache.size).toBe(0);
    expect(["a", "b", "c", "warm"].map((k) => cache.peek(k))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    await cache.close();
  });

  it("set during a load wins over the load's older result", async () => {
    const source = gatedSource<string>();
    const cache = new L1Cache(source.load);
    const loading = cache.get("k");
    cache.set("k", "explicit");
    source.calls[0]?.gate.resolve("loaded");
    expect(await loading).toBe("loaded");
    expect(cache.peek("k")).toBe("explicit");
    await cache.close();
  });

  it("randomized interleavings over 300 seeds: 0 reads of a value older than the last invalidation", async () => {
    let staleReads = 0;
    let reads = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const random = mulberry32(seed);
      const ticks = async (n: number) => {
        for (let i = 0; i < n; i++) await Promise.resolve();
      };
      let version = 0;
      const cache = new L1Cache(
        async (_key: string) => {
          await ticks(Math.floor(random() * 6));
          const seen = version; // the source of truth, read mid-load
          await ticks(Math.floor(random() * 6));
          return seen;
        },
        { jitter: 0 },
      );
      const tasks: Promise<void>[] = [];
      for (let op = 0; op < 40; op++) {
        const roll = random();
        if (roll < 0.15) {
          version++; // a write to the source of truth, then its invalidation
          if (random() < 0.5) cache.invalidate("k");
          else cache.clear();
        } else {
          const floor = version; // every invalidation before this read is for <= floor
          tasks.push(
            cache.get("k").then((value) => {
              reads++;
              if (value < floor) staleReads++;
            }),
          );
        }
        await ticks(Math.floor(random() * 4));
      }
      await Promise.all(tasks);
      await cache.close();
    }
    expect(reads).toBeGreaterThan(5_000);
    expect(staleReads).toBe(0);
  });
});

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
