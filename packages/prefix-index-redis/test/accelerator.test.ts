import type { CacheIndex } from "@switchyard/core";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisAcceleratedIndex } from "../src/index.js";
import { usePostgresBaseline } from "./baseline.js";
import { counting, entry, hash, hashesOf, hexOf, scope } from "./helpers.js";

const postgres = usePostgresBaseline();
const createBaseline = () => postgres.baseline();

const REDIS_URL = process.env.REDIS_URL ?? "";
const clients: Redis[] = [];
const client = () => {
  const c = new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
  clients.push(c);
  return c;
};
let prefix: string;
/** These tests are about answers and round trips, not timeouts: a loaded CI box must not turn a slow reply into a fallback. */
const patient = { commandTimeoutMs: 2_000 };
const accelerate = (baseline: CacheIndex) =>
  new RedisAcceleratedIndex({ baseline, redis: client(), keyPrefix: prefix, ...patient });
beforeAll(() => {
  if (!REDIS_URL)
    throw new Error("REDIS_URL is not set: run the tests through the repository's test command");
  prefix = `sy-test:${Date.now().toString(36)}:${Math.random().toString(36).slice(2)}:`;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

describe("steady state", () => {
  it("after warm-up, 1,000 lookups of known hits and known misses make 0 baseline lookups", async () => {
    const baseline = counting(createBaseline());
    const index = new RedisAcceleratedIndex({
      baseline: baseline.index,
      redis: client(),
      keyPrefix: prefix,
      ...patient,
    });
    const s = scope();
    const known = Array.from({ length: 10 }, hash);
    const missing = Array.from({ length: 10 }, hash);
    for (const h of known) await index.write(entry(s, h));
    const candidates = [...known, ...missing];
    const warm = await index.lookup(s, candidates); // misses learnt as negative markers
    expect(hashesOf(warm)).toEqual(hexOf(known));
    await new Promise((r) => setTimeout(r, 20)); // the markers are written after the answer
    const before = baseline.calls.lookup;
    for (let i = 0; i < 1_000; i++) {
      const result = await index.lookup(s, candidates);
      expect(result).toHaveLength(known.length);
    }
    expect(baseline.calls.lookup - before).toBe(0);
    expect(index.stats()).toMatchObject({ hits: 10 * 1_001, baselineFallbacks: 0 });
    await index.close();
  });

  it("returns the stored count, tier and expiry, never an expired entry", async () => {
    const index = new RedisAcceleratedIndex({
      baseline: createBaseline(),
      redis: client(),
      keyPrefix: prefix,
      ...patient,
    });
    const s = scope();
    const h = hash();
    const e = { ...entry(s, h, 4_321, 400), ttlTier: "1h" as const };
    await index.write(e);
    const [match] = await index.lookup(s, [h]);
    expect(match).toMatchObject({ cumulativeTokenCount: 4_321, ttlTier: "1h" });
    expect(Math.abs((match?.expiresAt.getTime() ?? 0) - e.expiresAt.getTime())).toBeLessThan(50);
    await new Promise((r) => setTimeout(r, 450));
    expect(await index.lookup(s, [h])).toEqual([]);
    await index.close();
  });
});

describe("no work for nothing", () => {
  it("an empty candidate list touches neither Redis nor the baseline", async () => {
    const baseline = counting(createBaseline());
    let redisCalls = 0;
    const redis = client();
    const spy = new Proxy(redis, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          redisCalls++;
          return value.apply(target, args);
        };
      },
    });
    const index = new RedisAcceleratedIndex({
      baseline: baseline.index,
      redis: spy,
      keyPrefix: prefix,
      ...patient,
    });
    expect(await index.lookup(scope(), [])).toEqual([]);
    expect(redisCalls).toBe(0);
    expect(baseline.calls.lookup).toBe(0);
    await index.close();
  });
});

describe("two instances over one Redis and one baseline", () => {
  it("a write through one is found through the other at once, even after the other learnt a miss", async () => {
    const baseline = createBaseline();
    const a = new RedisAcceleratedIndex({
      baseline,
      redis: client(),
      keyPrefix: prefix,
      ...patient,
    });
    const b = new RedisAcceleratedIndex({
      baseline,
      redis: client(),
      keyPrefix: prefix,
      ...patient,
    });
    const s = scope();
    const h = hash();
    expect(await b.lookup(s, [h])).toEqual([]); // b caches "not there"
    await new Promise((r) => setTimeout(r, 20));
    await a.write(entry(s, h, 2_000));
    const [found] = await b.lookup(s, [h]);
    expect(found?.cumulativeTokenCount).toBe(2_000);
    await a.close();
    await b.close();
  });
});

describe("write-behind refreshes", () => {
  it("1,000 refreshes of one entry within one second make at most 2 baseline writes; close() writes the last", async () => {
    const baseline = counting(createBaseline());
    const index = new RedisAcceleratedIndex({
      baseline: baseline.index,
      redis: client(),
      keyPrefix: prefix,
      ...patient,
    });
    const s = scope();
    const h = hash();
    await index.write(entry(s, h));
    const start = Date.now();
    let last = new Date();
    for (let i = 0; i < 1_000; i++) {
      last = new Date(start + 600_000 + i);
      await index.refresh(s, h, last);
    }
    // At most one baseline write per entry per 1 s flush interval, however slow the machine.
    const intervals = Math.floor((Date.now() - start) / 1_000);
    expect(baseline.calls.refresh).toBeLessThanOrEqual(intervals + 1);
    await index.close();
    expect(baseline.calls.refresh).toBeLessThanOrEqual(intervals + 2);
    const [stored] = await baseline.index.lookup(s, [h]);
    expect(stored?.expiresAt.getTime()).toBe(last.getTime());
  });

  it("coalesces to the last refresh asked for, as the baseline alone would end", async () => {
    const baseline = createBaseline();
    const index = accelerate(baseline);
    const s = scope();
    const h = hash();
    await index.write(entry(s, h));
    const last = new Date(Date.now() + 3_600_000);
    await index.refresh(s, h, new Date(last.getTime() + 3_600_000));
    await index.refresh(s, h, last);
    await index.flush();
    const [stored] = await baseline.lookup(s, [h]);
    const [seen] = await index.lookup(s, [h]);
    expect(stored?.expiresAt.getTime()).toBe(last.getTime());
    expect(seen?.expiresAt.getTime()).toBe(last.getTime());
    await index.close();
  });

  it("a refresh after the entry expired (found live, expired before the commit) revives it at once, in the baseline too", async () => {
    const baseline = createBaseline();
    const index = accelerate(baseline);
    const s = scope();
    const h = hash();
    await index.write({ ...entry(s, h, 3_000, 300), ttlTier: "1h" });
    expect(await index.lookup(s, [h])).toHaveLength(1); // a live hit, from Redis
    await new Promise((r) => setTimeout(r, 400)); // Redis dropped the key at its expiry
    const later = new Date(Date.now() + 3_600_000);
    await index.refresh(s, h, later);
    for (const answer of [await index.lookup(s, [h]), await baseline.lookup(s, [h])]) {
      expect(answer).toHaveLength(1);
      expect(answer[0]).toMatchObject({ cumulativeTokenCount: 3_000, ttlTier: "1h" });
      expect(answer[0]?.expiresAt.getTime()).toBe(later.getTime());
    }
    await index.close();
  });

  it("applies a refresh to Redis at once", async () => {
    const index = new RedisAcceleratedIndex({
      baseline: createBaseline(),
      redis: client(),
      keyPrefix: prefix,
      ...patient,
    });
    const s = scope();
    const h = hash();
    await index.write(entry(s, h, 1_500, 60_000));
    const later = new Date(Date.now() + 3_600_000);
    await index.refresh(s, h, later);
    const [match] = await index.lookup(s, [h]);
    expect(Math.abs((match?.expiresAt.getTime() ?? 0) - later.getTime())).toBeLessThan(50);
    await index.close();
  });
});
