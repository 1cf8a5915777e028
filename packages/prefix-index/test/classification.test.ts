import type { CacheIndex } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import { type Classification, PrefixCache, type PrefixCacheOptions } from "../src/index.js";
import {
  ephemeral,
  MapCacheIndex,
  PRINCIPAL,
  TARIFFS,
  text,
  WordTokenizer,
  words,
} from "./helpers.js";

const NOW = 1_700_000_000_000;
const ok = { status: 200, usageSeen: true } as const;

function setup(overrides: Partial<PrefixCacheOptions> = {}) {
  const index = new MapCacheIndex(() => NOW);
  const tokenizer = new WordTokenizer();
  const cache = new PrefixCache({
    index,
    tariffs: TARIFFS,
    tokenizer,
    now: () => NOW,
    ...overrides,
  });
  return { index, tokenizer, cache };
}

const SYSTEM = words(600, "s");
const U1 = words(600, "u1_");
const A1 = words(100, "a1_");
const U2 = words(50, "u2_");
const A2 = words(30, "a2_");
const U3 = words(20, "u3_");

describe("a growing conversation", () => {
  it("turn N+1 reads what turn N wrote, also when the SDK moves its breakpoint to the new last message", async () => {
    const { cache, index, tokenizer } = setup();
    const turn1 = {
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: [text(U1, ephemeral())] },
      ],
    };
    const c1 = await cache.classify(cache.prepare(turn1, "openai"), PRINCIPAL);
    expect(c1).toMatchObject({
      outcome: "write",
      read: 0,
      creation: { "5m": 1200, "1h": 0, "24h": 0 },
    });
    expect(c1.pendingWrites).toEqual([
      expect.objectContaining({ blockIndex: 1, cumulativeTokenCount: 1200, ttlTier: "5m" }),
    ]);
    expect(await cache.commit(c1, ok)).toBe("committed");

    // Turn 2: the marker moved from U1 (now a plain string) to the new last message.
    tokenizer.seen.length = 0;
    const turn2 = {
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: U1 },
        { role: "assistant", content: A1 },
        { role: "user", content: [text(U2, ephemeral())] },
      ],
    };
    const c2 = await cache.classify(cache.prepare(turn2, "openai"), PRINCIPAL);
    expect(c2).toMatchObject({
      outcome: "write",
      read: 1200,
      creation: { "5m": 150, "1h": 0, "24h": 0 },
    });
    expect(c2.pendingWrites).toEqual([
      expect.objectContaining({ blockIndex: 3, cumulativeTokenCount: 1350, ttlTier: "5m" }),
    ]);
    expect(c2.pendingRefresh).toMatchObject({ blockIndex: 1, ttlTier: "5m" });
    // A warm classification tokenizes nothing before the read.
    expect(tokenizer.seen).toEqual([A1, U2]);
    expect(await cache.commit(c2, ok)).toBe("committed");

    tokenizer.seen.length = 0;
    const turn3 = {
      messages: [
        ...turn2.messages.slice(0, 3),
        { role: "user", content: U2 },
        { role: "assistant", content: A2 },
        { role: "user", content: [text(U3, ephemeral())] },
      ],
    };
    const c3 = await cache.classify(cache.prepare(turn3, "openai"), PRINCIPAL);
    expect(c3).toMatchObject({ read: 1350, creation: { "5m": 50, "1h": 0, "24h": 0 } });
    expect(tokenizer.seen).toEqual([A2, U3]);
    expect(index.lookups).toHaveLength(3);
  });

  it("the same request again is a pure read: nothing tokenized, nothing written", async () => {
    const { cache, index, tokenizer } = setup();
    const body = {
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: [text(U1, ephemeral())] },
      ],
    };
    await cache.commit(await cache.classify(cache.prepare(body, "openai"), PRINCIPAL), ok);
    const calls = tokenizer.calls;
    const again = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expect(again).toMatchObject({ outcome: "pure-read", read: 1200, pendingWrites: [] });
    expect(again.creation).toEqual({ "5m": 0, "1h": 0, "24h": 0 });
    expect(tokenizer.calls).toBe(calls);
    const writes = index.writes.length;
    expect(await cache.commit(again, ok)).toBe("committed");
    expect(index.writes).toHaveLength(writes);
    expect(index.refreshes.at(-1)?.newExpiresAt.getTime()).toBe(NOW + 5 * 60_000);
    expect(cache.stats()).toMatchObject({ pureReads: 1, reads: 1, writes: 1 });
  });

  it("an Anthropic conversation reads across turns with a 1h system breakpoint", async () => {
    const { cache } = setup();
    const system = [text(SYSTEM, ephemeral("1h"))];
    const first = { system, messages: [{ role: "user", content: [text(U1, ephemeral())] }] };
    const c1 = await cache.classify(cache.prepare(first, "anthropic"), PRINCIPAL);
    expect(c1.creation).toEqual({ "5m": 600, "1h": 600, "24h": 0 });
    expect(c1.pendingWrites.map((w) => [w.cumulativeTokenCount, w.ttlTier])).toEqual([
      [600, "1h"],
      [1200, "5m"],
    ]);
    await cache.commit(c1, ok);
    const second = {
      system,
      messages: [
        { role: "user", content: U1 },
        { role: "assistant", content: A1 },
        { role: "user", content: [text(U2, ephemeral())] },
      ],
    };
    const c2 = await cache.classify(cache.prepare(second, "anthropic"), PRINCIPAL);
    expect(c2).toMatchObject({ read: 1200, creation: { "5m": 150, "1h": 0, "24h": 0 } });
  });
});

describe("per-breakpoint writes and per-tier creation", () => {
  it("each breakpoint deeper than the read is its own entry billed at its own tier", async () => {
    const { cache } = setup({ enabledTtlTiers: ["5m", "1h", "24h"] });
    const body = {
      system: [text(words(300, "a"), ephemeral("24h")), text(words(400, "b"), ephemeral("1h"))],
      messages: [{ role: "user", content: [text(words(500, "c"), ephemeral("5m"))] }],
    };
    const c = await cache.classify(cache.prepare(body, "anthropic"), PRINCIPAL);
    expect(c.creation).toEqual({ "24h": 300, "1h": 400, "5m": 500 });
    expect(c.pendingWrites.map((w) => w.cumulativeTokenCount)).toEqual([300, 700, 1200]);
  });

  it("only breakpoints deeper than the read are written", async () => {
    const { cache, index } = setup();
    const sys = text(words(1100, "s"), ephemeral("1h"));
    await cache.commit(
      await cache.classify(cache.prepare({ system: [sys], messages: [] }, "anthropic"), PRINCIPAL),
      ok,
    );
    const body = {
      system: [sys],
      messages: [{ role: "user", content: [text(words(10, "q"), ephemeral())] }],
    };
    const c = await cache.classify(cache.prepare(body, "anthropic"), PRINCIPAL);
    expect(c).toMatchObject({ read: 1100, creation: { "5m": 10, "1h": 0, "24h": 0 } });
    expect(c.pendingWrites.map((w) => w.blockIndex)).toEqual([1]);
    expect(index.lookups.at(-1)).toHaveLength(2);
  });
});

describe("the floor", () => {
  it("below minPrefixTokens at the deepest breakpoint gives zeros and nothing to write", async () => {
    const { cache, index } = setup();
    const body = { messages: [{ role: "user", content: [text(words(1023, "w"), ephemeral())] }] };
    const c = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expect(c).toMatchObject({
      outcome: "below-floor",
      read: 0,
      pendingWrites: [],
      pendingRefresh: null,
    });
    expect(c.creation).toEqual({ "5m": 0, "1h": 0, "24h": 0 });
    expect(await cache.commit(c, ok)).toBe("nothing-to-commit");
    expect(index.writes).toHaveLength(0);
  });

  it("at exactly minPrefixTokens the prefix is cached", async () => {
    const { cache } = setup();
    const body = { messages: [{ role: "user", content: [text(words(1024, "w"), ephemeral())] }] };
    expect((await cache.classify(cache.prepare(body, "openai"), PRINCIPAL)).outcome).toBe("write");
  });

  it("the floor is per model", async () => {
    const { cache } = setup({
      tariffs: { small: { inputPerMillion: 1, outputPerMillion: 1, minPrefixTokens: 10 } },
    });
    const body = { messages: [{ role: "user", content: [text(words(10, "w"), ephemeral())] }] };
    const c = await cache.classify(cache.prepare(body, "openai"), {
      principalId: "o",
      virtualModel: "small",
    });
    expect(c.creation["5m"]).toBe(10);
  });
});

describe("failures are no cache, never an error", () => {
  const body = { messages: [{ role: "user", content: [text(words(2000, "w"), ephemeral())] }] };

  const failing = (lookup: CacheIndex["lookup"]): CacheIndex => ({
    lookup,
    write: async () => {},
    refresh: async () => {},
  });

  const expectZeros = (c: Classification) => {
    expect(c).toMatchObject({ read: 0, pendingWrites: [], pendingRefresh: null, enabled: true });
    expect(c.creation).toEqual({ "5m": 0, "1h": 0, "24h": 0 });
  };

  it("a rejected lookup", async () => {
    const { cache } = setup({ index: failing(async () => Promise.reject(new Error("db down"))) });
    const c = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expectZeros(c);
    expect(c.outcome).toBe("index-error");
    expect(cache.stats().indexErrors).toBe(1);
  });

  it("a lookup that throws synchronously", async () => {
    const { cache } = setup({
      index: failing(() => {
        throw new Error("boom");
      }),
    });
    const c = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expect(c.outcome).toBe("index-error");
  });

  it("a lookup slower than lookupTimeoutMs", async () => {
    const { cache } = setup({ index: failing(() => new Promise(() => {})), lookupTimeoutMs: 10 });
    const c = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expectZeros(c);
    expect(c.outcome).toBe("index-timeout");
    expect(cache.stats().indexTimeouts).toBe(1);
  });

  it("a failing tokenizer", async () => {
    const { cache } = setup({
      tokenizer: { version: "broken", countCumulative: () => Promise.reject(new Error("nope")) },
    });
    const c = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expectZeros(c);
    expect(c.outcome).toBe("tokenizer-error");
    expect(cache.stats().tokenizerErrors).toBe(1);
  });

  it("a tokenizer returning nonsense", async () => {
    const { cache } = setup({ tokenizer: { version: "odd", countCumulative: () => [5, 3] } });
    const c = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expect(c.outcome).toBe("tokenizer-error");
  });
});

describe("scope", () => {
  it("carries the principal, the virtual model and the tokenizer's version", async () => {
    const { cache, index } = setup();
    const body = { messages: [{ role: "user", content: [text(words(2000, "w"), ephemeral())] }] };
    const c = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expect(c.scope).toEqual({ ...PRINCIPAL, tokenizerVersion: "words-v1" });
    await cache.commit(c, ok);
    const other = await cache.classify(cache.prepare(body, "openai"), {
      ...PRINCIPAL,
      principalId: "org-2",
    });
    expect(other.read).toBe(0);
    expect(index.writes[0]?.scope.tokenizerVersion).toBe(cache.tokenizerVersion);
  });

  it("a model without a tariff is not classified and touches no index", async () => {
    const { cache, index } = setup();
    const body = { messages: [{ role: "user", content: [text(words(2000, "w"), ephemeral())] }] };
    const c = await cache.classify(cache.prepare(body, "openai"), {
      principalId: "o",
      virtualModel: "unpriced",
    });
    expect(c).toMatchObject({ outcome: "disabled", enabled: false, read: 0 });
    expect(index.lookups).toHaveLength(0);
    expect(cache.stats().disabled).toBe(1);
  });
});
