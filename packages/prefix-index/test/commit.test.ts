import type { CacheIndex } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import {
  type Classification,
  isSuccessfulResponse,
  PrefixCache,
  type PrefixCacheOptions,
} from "../src/index.js";
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

function setup(overrides: Partial<PrefixCacheOptions> = {}) {
  const index = new MapCacheIndex(() => NOW);
  const cache = new PrefixCache({
    index,
    tariffs: TARIFFS,
    tokenizer: new WordTokenizer(),
    now: () => NOW,
    ...overrides,
  });
  return { index, cache };
}

const body = {
  system: [text(words(1500, "s"), ephemeral("1h"))],
  messages: [{ role: "user", content: [text(words(100, "q"), ephemeral())] }],
};

async function classified(cache: PrefixCache): Promise<Classification> {
  return cache.classify(cache.prepare(body, "anthropic"), PRINCIPAL);
}

describe("the success gate", () => {
  it.each([
    [{ status: 200, usageSeen: true }, true],
    [{ status: 204, usageSeen: true, errorSeen: false }, true],
    [{ status: 200, usageSeen: false }, false],
    [{ status: 500, usageSeen: true }, false],
    [{ status: 429, usageSeen: false }, false],
    [{ status: 302, usageSeen: true }, false],
    [{ status: 200, usageSeen: true, errorSeen: true }, false],
  ])("%j -> %s", (outcome, expected) => {
    expect(isSuccessfulResponse(outcome)).toBe(expected);
  });
});

describe("failed or errored responses commit nothing", () => {
  it.each([
    ["a 5xx", { status: 500, usageSeen: false }],
    ["a 2xx without usage", { status: 200, usageSeen: false }],
    ["a stream with an error frame", { status: 200, usageSeen: true, errorSeen: true }],
    [
      "a stream that ended before its usage frame",
      { status: 200, usageSeen: false, errorSeen: false },
    ],
  ])("%s", async (_, outcome) => {
    const { cache, index } = setup();
    const c = await classified(cache);
    expect(c.pendingWrites).toHaveLength(2);
    expect(await cache.commit(c, outcome)).toBe("skipped-failed-response");
    expect(index.writes).toHaveLength(0);
    expect(index.refreshes).toHaveLength(0);
    expect(cache.stats().commitsSkippedFailedResponse).toBe(1);
    // So the next request still pays for the writes.
    const next = await classified(cache);
    expect(next.read).toBe(0);
    expect(next.creation).toEqual({ "5m": 100, "1h": 1500, "24h": 0 });
  });

  it("an errored stream, end to end", async () => {
    const { cache, index } = setup();
    const c = await classified(cache);
    const stream = cache.usageStream("anthropic", c);
    await stream.push(
      'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":1600,"output_tokens":1}}}\n\n',
    );
    await stream.push(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error"}}\n\n',
    );
    await stream.end();
    expect(await cache.commit(c, stream.outcome(200))).toBe("skipped-failed-response");
    expect(index.writes).toHaveLength(0);
  });
});

describe("a successful response commits", () => {
  it("every pending write with expiry now + its tier", async () => {
    const { cache, index } = setup();
    const c = await classified(cache);
    expect(await cache.commit(c, { status: 200, usageSeen: true })).toBe("committed");
    expect(
      index.writes.map((w) => [w.cumulativeTokenCount, w.ttlTier, w.expiresAt.getTime()]),
    ).toEqual([
      [1500, "1h", NOW + 60 * 60_000],
      [1600, "5m", NOW + 5 * 60_000],
    ]);
    expect(index.writes[0]?.scope).toEqual({ ...PRINCIPAL, tokenizerVersion: "words-v1" });
    expect(cache.stats().commitsApplied).toBe(1);
  });

  it("the refresh of the read entry to now + its own stored tier", async () => {
    let now = NOW;
    const index = new MapCacheIndex(() => now);
    const cache = new PrefixCache({
      index,
      tariffs: TARIFFS,
      tokenizer: new WordTokenizer(),
      now: () => now,
    });
    await cache.commit(await classified(cache), { status: 200, usageSeen: true });
    now += 30 * 60_000; // the 5m entry expired, the 1h one is live
    const c = await classified(cache);
    expect(c).toMatchObject({ read: 1500, creation: { "5m": 100, "1h": 0, "24h": 0 } });
    expect(c.pendingRefresh?.ttlTier).toBe("1h");
    await cache.commit(c, { status: 200, usageSeen: true });
    expect(index.refreshes.map((r) => r.newExpiresAt.getTime())).toEqual([now + 60 * 60_000]);
  });

  it("a whole stream, end to end", async () => {
    const { cache, index } = setup();
    const c = await classified(cache);
    const stream = cache.usageStream("anthropic", Promise.resolve(c));
    await stream.push(
      'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":1700,"output_tokens":1}}}\n\n',
    );
    await stream.push(
      'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":9}}\n\n',
    );
    await stream.end();
    const outcome = stream.outcome(200);
    expect(outcome.billed).toMatchObject({
      promptTokens: 1700,
      completionTokens: 9,
      uncachedTokens: 100,
    });
    expect(await cache.commit(c, outcome)).toBe("committed");
    expect(index.writes).toHaveLength(2);
  });
});

describe("commit is best-effort", () => {
  const slowOrFailing = (write: CacheIndex["write"]): CacheIndex => ({
    lookup: async () => [],
    write,
    refresh: async () => {},
  });

  it("stops waiting at the deadline", async () => {
    const { cache } = setup({
      index: slowOrFailing(() => new Promise(() => {})),
      commitDeadlineMs: 10,
    });
    const c = await classified(cache);
    expect(await cache.commit(c, { status: 200, usageSeen: true })).toBe("timed-out");
    expect(cache.stats().commitsTimedOut).toBe(1);
  });

  it("never throws when the index fails", async () => {
    const { cache } = setup({
      index: slowOrFailing(() => {
        throw new Error("sync failure");
      }),
    });
    const c = await classified(cache);
    expect(await cache.commit(c, { status: 200, usageSeen: true })).toBe("failed");
    const { cache: other } = setup({
      index: slowOrFailing(() => Promise.reject(new Error("down"))),
    });
    expect(await other.commit(await classified(other), { status: 200, usageSeen: true })).toBe(
      "failed",
    );
    expect(other.stats().commitsFailed).toBe(1);
  });

  it("skips when the gap cap zeroed the bill", async () => {
    const { cache, index } = setup();
    const c = await classified(cache);
    const reported = cache.reportUsage("anthropic", { input_tokens: 50, output_tokens: 1 }, c);
    expect(reported?.billed?.gapCap).toBe("all");
    expect(await cache.commit(c, { status: 200, usageSeen: true, billed: reported?.billed })).toBe(
      "skipped-gap-cap",
    );
    expect(index.writes).toHaveLength(0);
  });

  it("has nothing to do when nothing is pending", async () => {
    const { cache } = setup();
    const c = await cache.classify(cache.prepare({ messages: [] }, "openai"), PRINCIPAL);
    expect(await cache.commit(c, { status: 200, usageSeen: true })).toBe("nothing-to-commit");
    expect(cache.stats().commitsNothingPending).toBe(1);
  });
});
