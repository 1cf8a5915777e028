import { cacheEntry, comparable, hashHex, randomScope } from "@switchyard/conformance";
import { type CacheEntry, CacheIndexError, SwitchyardError } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import {
  createMemoryCacheIndex,
  DEFAULT_MAX_ENTRIES,
  MemoryCacheIndex,
  type MemoryCacheIndexOptions,
  MemoryStoreOptionsError,
  TOKEN_COUNT_MAX,
} from "../src/index.js";

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;

/** An index on a clock the test moves. */
function withClock(options: MemoryCacheIndexOptions = {}) {
  let now = T0;
  const warnings: string[] = [];
  const index = createMemoryCacheIndex({
    now: () => now,
    logger: { warn: (message) => warnings.push(message) },
    ...options,
  });
  return {
    index,
    warnings,
    advance(ms: number) {
      now += ms;
    },
    at: (minutes: number) => new Date(T0 + minutes * MINUTE),
  };
}

describe("expiry on the injected clock", () => {
  it("an entry matches while now < expiresAt, not at expiresAt; a lookup that meets it expired keeps it for sweep", async () => {
    const { index, advance, at } = withClock();
    const scope = randomScope();
    const entry = cacheEntry(scope, { expiresAt: at(5) });
    await index.write(entry);
    advance(5 * MINUTE - 1);
    expect(await index.lookup(scope, [entry.prefixHash])).toHaveLength(1);
    advance(1);
    expect(await index.lookup(scope, [entry.prefixHash])).toEqual([]);
    expect(index.stats()).toMatchObject({ entries: 1, expiredOnRead: 1 });
    advance(1);
    expect(await index.sweep(at(6))).toBe(1);
    expect(index.stats()).toMatchObject({ entries: 0, swept: 1 });
  });

  it("a refresh after expiry revives an entry the request found live, even when a lookup met it expired meanwhile", async () => {
    const { index, advance, at } = withClock();
    const scope = randomScope();
    const entry = cacheEntry(scope, { cumulativeTokenCount: 2048, expiresAt: at(5) });
    await index.write(entry);
    advance(4 * MINUTE);
    expect(await index.lookup(scope, [entry.prefixHash])).toHaveLength(1); // the request's lookup
    advance(2 * MINUTE); // the response took two minutes
    expect(await index.lookup(scope, [entry.prefixHash])).toEqual([]); // another request's
    await index.refresh(scope, entry.prefixHash, at(11)); // the first request's commit
    expect(await index.sweep(at(7))).toBe(0);
    expect(comparable(await index.lookup(scope, [entry.prefixHash]))).toEqual(
      comparable([{ ...entry, expiresAt: at(11) }]),
    );
  });

  it("a refresh before expiry keeps the entry alive past its first expiry (the sliding window)", async () => {
    const { index, advance, at } = withClock();
    const scope = randomScope();
    const entry = cacheEntry(scope, { expiresAt: at(5) });
    await index.write(entry);
    advance(4 * MINUTE);
    await index.refresh(scope, entry.prefixHash, at(9));
    advance(4 * MINUTE); // T0 + 8 min: past the first expiry
    const [match] = await index.lookup(scope, [entry.prefixHash]);
    expect(match?.expiresAt).toEqual(at(9));
  });

  it("sweep treats a cutoff later than now as now", async () => {
    const { index, advance, at } = withClock();
    const scope = randomScope();
    const live = cacheEntry(scope, { expiresAt: at(10) });
    const dead = cacheEntry(scope, { expiresAt: at(-1) });
    await index.write(live);
    await index.write(dead);
    expect(await index.sweep(at(60))).toBe(1);
    expect(await index.lookup(scope, [live.prefixHash])).toHaveLength(1);
    advance(11 * MINUTE);
    expect(await index.sweep(at(60))).toBe(1);
    expect(index.stats()).toMatchObject({ entries: 0, swept: 2 });
  });

  it("sweep follows refreshes: a refreshed entry is swept by its new expiry, not its old one", async () => {
    const { index, advance, at } = withClock();
    const scope = randomScope();
    const entry = cacheEntry(scope, { expiresAt: at(1) });
    await index.write(entry);
    await index.refresh(scope, entry.prefixHash, at(30));
    advance(10 * MINUTE);
    expect(await index.sweep(at(10))).toBe(0);
    expect(await index.lookup(scope, [entry.prefixHash])).toHaveLength(1);
    advance(21 * MINUTE);
    expect(await index.sweep(at(31))).toBe(1);
  });
});

describe("bounded by maxEntries", () => {
  it("evicts expired entries first, even when they were written last", async () => {
    const { index, at } = withClock({ maxEntries: 3 });
    const scope = randomScope();
    const a = cacheEntry(scope, { expiresAt: at(10) });
    const b = cacheEntry(scope, { expiresAt: at(20) });
    const expired = cacheEntry(scope, { expiresAt: at(-1) });
    const d = cacheEntry(scope, { expiresAt: at(30) });
    for (const entry of [a, b, expired, d]) await index.write(entry);
    expect(index.size).toBe(3);
    expect(
      comparable(
        await index.lookup(
          scope,
          [a, b, d].map((e) => e.prefixHash),
        ),
      ),
    ).toEqual(comparable([a, b, d]));
    expect(index.stats().evictions).toBe(1);
  });

  it("then the live entry that expires soonest; a refresh moves an entry back in line", async () => {
    const { index, at } = withClock({ maxEntries: 3 });
    const scope = randomScope();
    const [a, b, c] = [10, 20, 30].map((m) => cacheEntry(scope, { expiresAt: at(m) })) as [
      CacheEntry,
      CacheEntry,
      CacheEntry,
    ];
    for (const entry of [a, b, c]) await index.write(entry);
    await index.refresh(scope, a.prefixHash, at(60)); // a now expires last; b soonest
    const d = cacheEntry(scope, { expiresAt: at(40) });
    await index.write(d);
    const held = await index.lookup(
      scope,
      [a, b, c, d].map((e) => e.prefixHash),
    );
    expect(held.map((m) => hashHex(m.prefixHash)).sort()).toEqual(
      [a, c, d].map((e) => hashHex(e.prefixHash)).sort(),
    );
  });

  it("a new entry that would expire before every held one is the one dropped when full", async () => {
    const { index, at } = withClock({ maxEntries: 2 });
    const scope = randomScope();
    const long = [
      cacheEntry(scope, { expiresAt: at(60) }),
      cacheEntry(scope, { expiresAt: at(90) }),
    ];
    for (const entry of long) await index.write(entry);
    const short = cacheEntry(scope, { expiresAt: at(5) });
    await index.write(short);
    expect(await index.lookup(scope, [short.prefixHash])).toEqual([]);
    expect(
      await index.lookup(
        scope,
        long.map((e) => e.prefixHash),
      ),
    ).toHaveLength(2);
  });

  it("equal expiries: the least recently written or refreshed goes first", async () => {
    const { index, at } = withClock({ maxEntries: 2 });
    const scope = randomScope();
    const [a, b] = [
      cacheEntry(scope, { expiresAt: at(10) }),
      cacheEntry(scope, { expiresAt: at(10) }),
    ];
    await index.write(a);
    await index.write(b);
    await index.refresh(scope, a.prefixHash, at(10)); // same expiry, but a is now the most recent
    const c = cacheEntry(scope, { expiresAt: at(10) });
    await index.write(c);
    const held = await index.lookup(
      scope,
      [a, b, c].map((e) => e.prefixHash),
    );
    expect(held.map((m) => hashHex(m.prefixHash)).sort()).toEqual(
      [a, c].map((e) => hashHex(e.prefixHash)).sort(),
    );
  });

  it("a rewrite of a held entry never evicts", async () => {
    const { index, at } = withClock({ maxEntries: 2 });
    const scope = randomScope();
    const [a, b] = [
      cacheEntry(scope, { expiresAt: at(10) }),
      cacheEntry(scope, { expiresAt: at(20) }),
    ];
    await index.write(a);
    await index.write(b);
    await index.write({ ...a, cumulativeTokenCount: 5, expiresAt: at(1) });
    expect(index.size).toBe(2);
    expect(index.stats().evictions).toBe(0);
  });

  it("stays at maxEntries under many writes and refreshes, keeping the latest expiries", async () => {
    const { index, at } = withClock({ maxEntries: 100 });
    const scope = randomScope();
    const entries: CacheEntry[] = [];
    for (let i = 0; i < 1000; i++) {
      const entry = cacheEntry(scope, { expiresAt: at(1 + ((i * 7919) % 1000)) });
      entries.push(entry);
      await index.write(entry);
      // Refresh an older entry now and then: outdated heap nodes pile up and get compacted.
      const older = entries[(i * 31) % entries.length] as CacheEntry;
      await index.refresh(scope, older.prefixHash, older.expiresAt);
      expect(index.size).toBeLessThanOrEqual(100);
    }
    for (let i = 0; i < 5000; i++) {
      const entry = entries[i % entries.length] as CacheEntry;
      await index.refresh(scope, entry.prefixHash, entry.expiresAt);
    }
    expect(index.size).toBe(100);
    const held = await index.lookup(
      scope,
      entries.map((e) => e.prefixHash),
    );
    const latest = [...entries]
      .sort((x, y) => y.expiresAt.getTime() - x.expiresAt.getTime())
      .slice(0, 100);
    expect(comparable(held)).toEqual(comparable(latest));
    expect(index.stats().evictions).toBe(900);
  });
});

describe("token counts", () => {
  it.each([
    [3_000_000_000, TOKEN_COUNT_MAX],
    [-5, 0],
    [12.7, 12],
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, TOKEN_COUNT_MAX],
  ])("%s is stored as %s, with a warning", async (given, stored) => {
    const { index, warnings } = withClock();
    const scope = randomScope();
    const entry = cacheEntry(scope, {
      cumulativeTokenCount: given,
      expiresAt: new Date(T0 + MINUTE),
    });
    await index.write(entry);
    const [match] = await index.lookup(scope, [entry.prefixHash]);
    expect(match?.cumulativeTokenCount).toBe(stored);
    expect(warnings).toEqual([expect.stringContaining(`stored as ${stored}`)]);
  });

  it("a count in range is stored as given, without a warning", async () => {
    const { index, warnings } = withClock();
    const scope = randomScope();
    const entry = cacheEntry(scope, {
      cumulativeTokenCount: TOKEN_COUNT_MAX,
      expiresAt: new Date(T0 + MINUTE),
    });
    await index.write(entry);
    expect(warnings).toEqual([]);
  });
});

describe("keys", () => {
  it("a principal id that is not a UUID is an ordinary, exact key", async () => {
    const index = createMemoryCacheIndex();
    const scope = randomScope({ principalId: "org-1" });
    const entry = cacheEntry(scope);
    await index.write(entry);
    expect(await index.lookup(scope, [entry.prefixHash])).toHaveLength(1);
    expect(await index.lookup({ ...scope, principalId: "ORG-1" }, [entry.prefixHash])).toEqual([]);
  });

  it("scope fields cannot run into each other, whatever characters they hold", async () => {
    const index = createMemoryCacheIndex();
    const hash = cacheEntry(randomScope()).prefixHash;
    const scopes = [
      { principalId: "a", virtualModel: "b|c", tokenizerVersion: "t" },
      { principalId: "a|b", virtualModel: "c", tokenizerVersion: "t" },
      { principalId: 'a","b', virtualModel: "c", tokenizerVersion: "t" },
      { principalId: "a", virtualModel: 'b","c', tokenizerVersion: "t" },
    ];
    for (const [i, scope] of scopes.entries()) {
      await index.write(cacheEntry(scope, { prefixHash: hash, cumulativeTokenCount: i }));
    }
    expect(index.size).toBe(scopes.length);
    for (const [i, scope] of scopes.entries()) {
      const [match] = await index.lookup(scope, [hash]);
      expect(match?.cumulativeTokenCount).toBe(i);
    }
  });
});

describe("housekeeping", () => {
  it("clear removes every entry", async () => {
    const index = createMemoryCacheIndex();
    const scope = randomScope();
    const entry = cacheEntry(scope);
    await index.write(entry);
    index.clear();
    expect(index.size).toBe(0);
    expect(await index.lookup(scope, [entry.prefixHash])).toEqual([]);
  });

  it("defaults: 100,000 entries and the system clock", async () => {
    expect(DEFAULT_MAX_ENTRIES).toBe(100_000);
    const index = new MemoryCacheIndex();
    const scope = randomScope();
    const entry = cacheEntry(scope, { expiresAt: new Date(Date.now() + 1000) });
    await index.write(entry);
    expect(await index.lookup(scope, [entry.prefixHash])).toHaveLength(1);
  });

  it("a failed write rejects (never throws synchronously)", async () => {
    const index = createMemoryCacheIndex();
    const bad = { ...cacheEntry(randomScope()), ttlTier: "1d" } as unknown as CacheEntry;
    const pending = index.write(bad);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toBeInstanceOf(CacheIndexError);
    await expect(pending).rejects.toThrow(/ttlTier/);
  });
});

describe("options are validated at construction", () => {
  it.each([
    ["maxEntries 0", { maxEntries: 0 }, /maxEntries must be a positive integer/],
    ["maxEntries 1.5", { maxEntries: 1.5 }, /maxEntries must be a positive integer/],
    ["maxEntries as a string", { maxEntries: "10" as unknown as number }, /maxEntries/],
    [
      "a clock that is not a function",
      { now: 5 as unknown as () => number },
      /now must be a function/,
    ],
    ["a logger without warn", { logger: {} as { warn: () => void } }, /logger must have a warn/],
  ])("%s is rejected", (_, options, message) => {
    let caught: unknown;
    try {
      createMemoryCacheIndex(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MemoryStoreOptionsError);
    expect(caught).toBeInstanceOf(SwitchyardError);
    expect((caught as MemoryStoreOptionsError).code).toBe("E_INVALID_MEMORY_STORE_OPTIONS");
    expect((caught as Error).message).toMatch(message);
  });
});
