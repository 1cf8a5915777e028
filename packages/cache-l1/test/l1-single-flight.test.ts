import { describe, expect, it } from "vitest";
import { L1Cache } from "../src/index.js";
import { flush, gatedSource } from "./helpers.js";

describe("1. cache-aside get", () => {
  it("loads a cold key through the source, then serves it from memory", async () => {
    let loads = 0;
    const cache = new L1Cache(async (key: string) => {
      loads++;
      return { key };
    });
    const first = await cache.get("a");
    const second = await cache.get("a");
    expect(first).toEqual({ key: "a" });
    expect(second).toBe(first); // not cloned
    expect(loads).toBe(1);
    await cache.close();
  });

  it("set stores a value that get and peek return without loading", async () => {
    const cache = new L1Cache<string, number>(() => {
      throw new Error("must not load");
    });
    cache.set("k", 7);
    expect(cache.peek("k")).toBe(7);
    expect(await cache.get("k")).toBe(7);
    await cache.close();
  });

  it("peek never loads and returns undefined for a cold key", async () => {
    let loads = 0;
    const cache = new L1Cache(async () => ++loads);
    expect(cache.peek("x")).toBeUndefined();
    expect(loads).toBe(0);
    await cache.get("x");
    expect(cache.peek("x")).toBe(1);
    await cache.close();
  });
});

describe("2. single-flight with one shared outcome", () => {
  it("10,000 concurrent cold misses make exactly one load and share its value", async () => {
    const source = gatedSource<{ v: number }>();
    const cache = new L1Cache(source.load);
    const all = Array.from({ length: 10_000 }, () => cache.get("hot"));
    expect(source.calls).toHaveLength(1);
    const value = { v: 1 };
    source.calls[0]?.gate.resolve(value);
    const results = await Promise.all(all);
    expect(results.every((r) => r === value)).toBe(true);
    expect(cache.stats()).toMatchObject({ loads: 1, coalesced: 9_999, misses: 10_000 });
    await cache.close();
  });

  it("1,000 concurrent misses against a failing source make one load and all reject with its error", async () => {
    let loads = 0;
    const failure = new Error("database down");
    const cache = new L1Cache(async () => {
      loads++;
      await flush();
      throw failure;
    });
    const outcomes = await Promise.allSettled(Array.from({ length: 1_000 }, () => cache.get("k")));
    expect(loads).toBe(1);
    expect(outcomes.every((o) => o.status === "rejected" && o.reason === failure)).toBe(true);
    expect(cache.stats()).toMatchObject({ loads: 1, loadErrors: 1, inFlight: 0 });
    await cache.close();
  });

  it("different keys load independently", async () => {
    const source = gatedSource<string>();
    const cache = new L1Cache(source.load);
    const a = cache.get("a");
    const b = cache.get("b");
    expect(source.calls.map((c) => c.key)).toEqual(["a", "b"]);
    source.calls[1]?.gate.resolve("B");
    source.calls[0]?.gate.resolve("A");
    expect(await Promise.all([a, b])).toEqual(["A", "B"]);
    await cache.close();
  });
});
