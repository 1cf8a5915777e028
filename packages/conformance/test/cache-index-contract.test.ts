import { describe, expect, it } from "vitest";
import {
  cacheEntry,
  cacheIndexContract,
  comparable,
  hashHex,
  minutesFromNow,
  randomPrefixHash,
  randomScope,
} from "../src/index.js";
import { NaiveCacheIndex } from "./naive-cache-index.js";

cacheIndexContract(
  () => {
    const index = new NaiveCacheIndex();
    return { index, queries: () => index.queries };
  },
  { label: "the CacheIndex contract passes for the simplest correct index", sweep: true },
);

cacheIndexContract(() => ({ index: new NaiveCacheIndex() }), {
  label: "the CacheIndex contract also runs for an index without a query counter",
});

describe("cache index fixtures", () => {
  it("randomScope gives distinct UUID principals and models; overrides win", () => {
    const [a, b] = [randomScope(), randomScope()];
    expect(a.principalId).not.toBe(b.principalId);
    expect(a.virtualModel).not.toBe(b.virtualModel);
    expect(randomScope({ tokenizerVersion: "t" }).tokenizerVersion).toBe("t");
  });

  it("randomPrefixHash gives 32 distinct bytes in a plain Uint8Array", () => {
    const hash = randomPrefixHash();
    expect(hash.constructor).toBe(Uint8Array);
    expect(hash.byteLength).toBe(32);
    expect(hashHex(hash)).not.toBe(hashHex(randomPrefixHash()));
  });

  it("cacheEntry is live for 10 minutes at 5m with 1,024 tokens", () => {
    const entry = cacheEntry(randomScope());
    expect(entry).toMatchObject({ cumulativeTokenCount: 1024, ttlTier: "5m" });
    expect(Math.abs(entry.expiresAt.getTime() - Date.now() - 600_000)).toBeLessThan(1000);
  });

  it("comparable sorts by hash and keeps what lookup must return", () => {
    const now = Date.now();
    const entries = [1, 2, 3].map(() =>
      cacheEntry(randomScope(), { expiresAt: minutesFromNow(1, now) }),
    );
    const rows = comparable(entries);
    expect(rows.map((r) => r.prefixHash)).toEqual(entries.map((e) => hashHex(e.prefixHash)).sort());
    expect(rows[0]).toEqual({
      prefixHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      cumulativeTokenCount: 1024,
      ttlTier: "5m",
      expiresAt: now + 60_000,
    });
  });
});
