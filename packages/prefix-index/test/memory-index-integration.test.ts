/**
 * Integration: `PrefixCache` over the real `MemoryCacheIndex` from
 * `@switchyard/store-memory` (the unit tests use a Map-backed stand-in), on one
 * clock shared by the cache and the index.
 */
import { MemoryCacheIndex } from "@switchyard/store-memory";
import { describe, expect, it } from "vitest";
import {
  type Classification,
  createGptTokenizer,
  PrefixCache,
  type PrefixCacheOptions,
  type Tokenizer,
} from "../src/index.js";
import { ephemeral, PRINCIPAL, TARIFFS, text, WordTokenizer, words } from "./helpers.js";

const MINUTE = 60_000;
const ok = { status: 200, usageSeen: true } as const;

function setup(overrides: Partial<PrefixCacheOptions> = {}, maxEntries?: number) {
  let now = 1_700_000_000_000;
  const clock = () => now;
  const index = new MemoryCacheIndex({ now: clock, ...(maxEntries ? { maxEntries } : {}) });
  const tokenizer = new WordTokenizer();
  const cache = new PrefixCache({ index, tariffs: TARIFFS, tokenizer, now: clock, ...overrides });
  return {
    index,
    tokenizer,
    cache,
    advance(ms: number) {
      now += ms;
    },
  };
}

type Message = { role: string; content: unknown };

/** The OpenAI body of turn `n` (1-based): the SDK marks only the newest user message. */
function openAiTurn(
  system: string,
  turns: readonly { user: string; assistant: string }[],
  n: number,
) {
  const messages: Message[] = [{ role: "system", content: system }];
  for (let i = 0; i < n; i++) {
    const turn = turns[i] as { user: string; assistant: string };
    const last = i === n - 1;
    messages.push({ role: "user", content: last ? [text(turn.user, ephemeral())] : turn.user });
    if (!last) messages.push({ role: "assistant", content: turn.assistant });
  }
  return { model: PRINCIPAL.virtualModel, messages };
}

describe("a growing conversation over the MemoryCacheIndex", () => {
  it("turn N+1 reads what turn N wrote, for 12 turns, tokenizing only the new messages", async () => {
    const { cache, index, tokenizer } = setup();
    const system = words(1000, "sys");
    const turns = Array.from({ length: 12 }, (_, i) => ({
      user: words(40 + i, `u${i}_`),
      assistant: words(25 + i, `a${i}_`),
    }));
    let previous: Classification | undefined;
    let total = 0;
    for (let n = 1; n <= turns.length; n++) {
      tokenizer.seen.length = 0;
      const prepared = cache.prepare(openAiTurn(system, turns, n), "openai");
      const c = await cache.classify(prepared, PRINCIPAL);
      const user = turns[n - 1]?.user as string;
      if (n === 1) {
        total = 1000 + user.split(" ").length;
        expect(c).toMatchObject({ outcome: "write", read: 0 });
        expect(tokenizer.seen).toEqual([system, user]);
      } else {
        const assistant = turns[n - 2]?.assistant as string;
        const added = assistant.split(" ").length + user.split(" ").length;
        // The read is exactly the count turn N wrote; only its new blocks were tokenized.
        expect(c.read).toBe(previous?.pendingWrites.at(-1)?.cumulativeTokenCount);
        expect(c.read).toBe(total);
        expect(c.creation).toEqual({ "5m": added, "1h": 0, "24h": 0 });
        expect(tokenizer.seen).toEqual([assistant, user]);
        total += added;
      }
      expect(c.pendingWrites).toEqual([
        expect.objectContaining({ cumulativeTokenCount: total, ttlTier: "5m" }),
      ]);
      expect(await cache.commit(c, ok)).toBe("committed");
      previous = c;
      expect(index.size).toBe(n);
    }
    expect(cache.stats()).toMatchObject({ classifications: 12, reads: 11, writes: 12 });
  });

  it("the same request again is a pure read through the real index: nothing tokenized, nothing written", async () => {
    const { cache, index, tokenizer } = setup();
    const body = openAiTurn(words(1100, "s"), [{ user: words(30, "u"), assistant: "" }], 1);
    await cache.commit(await cache.classify(cache.prepare(body, "openai"), PRINCIPAL), ok);
    const calls = tokenizer.calls;
    const again = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expect(again).toMatchObject({ outcome: "pure-read", read: 1130, pendingWrites: [] });
    expect(tokenizer.calls).toBe(calls);
    expect(await cache.commit(again, ok)).toBe("committed");
    expect(index.size).toBe(1);
  });

  it("an Anthropic conversation: after a gap longer than 5m, the 1h system prefix is still read", async () => {
    const { cache, advance } = setup();
    const system = [text(words(1500, "sys"), ephemeral("1h"))];
    const u1 = words(200, "u1_");
    const a1 = words(100, "a1_");
    const u2 = words(50, "u2_");
    const first = { system, messages: [{ role: "user", content: [text(u1, ephemeral())] }] };
    const c1 = await cache.classify(cache.prepare(first, "anthropic"), PRINCIPAL);
    expect(c1.creation).toEqual({ "5m": 200, "1h": 1500, "24h": 0 });
    await cache.commit(c1, ok);

    advance(10 * MINUTE); // the 5m entry expired, the 1h one did not
    const second = {
      system,
      messages: [
        { role: "user", content: u1 },
        { role: "assistant", content: a1 },
        { role: "user", content: [text(u2, ephemeral())] },
      ],
    };
    const c2 = await cache.classify(cache.prepare(second, "anthropic"), PRINCIPAL);
    expect(c2).toMatchObject({ outcome: "write", read: 1500 });
    expect(c2.creation).toEqual({ "5m": 350, "1h": 0, "24h": 0 });
    expect(c2.pendingRefresh).toMatchObject({ ttlTier: "1h" });
    await cache.commit(c2, ok);

    advance(3 * MINUTE); // within 5m of turn 2: its write is read
    const c3 = await cache.classify(cache.prepare(second, "anthropic"), PRINCIPAL);
    expect(c3).toMatchObject({ outcome: "pure-read", read: 1850 });
  });

  it("reads slide the window: a prefix used every 4 minutes stays cached past its first 5 minutes", async () => {
    const { cache, advance } = setup();
    const body = openAiTurn(words(1200, "s"), [{ user: words(10, "u"), assistant: "" }], 1);
    await cache.commit(await cache.classify(cache.prepare(body, "openai"), PRINCIPAL), ok);
    for (let i = 0; i < 8; i++) {
      advance(4 * MINUTE);
      const c = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
      expect(c).toMatchObject({ outcome: "pure-read", read: 1210 });
      expect(await cache.commit(c, ok)).toBe("committed"); // applies the refresh
    }
    advance(6 * MINUTE); // a gap longer than the tier: expired
    const cold = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expect(cold).toMatchObject({ outcome: "write", read: 0, creation: { "5m": 1210 } });
  });

  it("a failed response commits nothing: the next turn reads only what the last success wrote", async () => {
    const { cache, index } = setup();
    const system = words(1100, "s");
    const turns = [
      { user: words(20, "u1_"), assistant: words(20, "a1_") },
      { user: words(20, "u2_"), assistant: words(20, "a2_") },
      { user: words(20, "u3_"), assistant: words(20, "a3_") },
    ];
    await cache.commit(
      await cache.classify(cache.prepare(openAiTurn(system, turns, 1), "openai"), PRINCIPAL),
      ok,
    );
    const failed = await cache.classify(
      cache.prepare(openAiTurn(system, turns, 2), "openai"),
      PRINCIPAL,
    );
    expect(await cache.commit(failed, { status: 500, usageSeen: false })).toBe(
      "skipped-failed-response",
    );
    expect(index.size).toBe(1);
    const c3 = await cache.classify(
      cache.prepare(openAiTurn(system, turns, 3), "openai"),
      PRINCIPAL,
    );
    expect(c3.read).toBe(1120); // turn 1's prefix, not turn 2's
  });

  it("principals, models and tokenizer versions never share entries", async () => {
    const { cache, index } = setup();
    const body = openAiTurn(words(1100, "s"), [{ user: words(10, "u"), assistant: "" }], 1);
    await cache.commit(await cache.classify(cache.prepare(body, "openai"), PRINCIPAL), ok);
    const other = await cache.classify(cache.prepare(body, "openai"), {
      ...PRINCIPAL,
      principalId: "org-2",
    });
    expect(other).toMatchObject({ outcome: "write", read: 0 });
    // Another PrefixCache on the same index with another tokenizer version: another scope.
    const counter = new WordTokenizer();
    const v2: Tokenizer = {
      version: "words-v2",
      countCumulative: (s) => counter.countCumulative(s),
    };
    const rekeyed = new PrefixCache({ index, tariffs: TARIFFS, tokenizer: v2 });
    const c = await rekeyed.classify(rekeyed.prepare(body, "openai"), PRINCIPAL);
    expect(c).toMatchObject({ outcome: "write", read: 0 });
  });

  it("a full index evicts, which is a miss at full price, never an error", async () => {
    const { cache, index } = setup({}, 2);
    const bodies = [1, 2, 3].map((i) =>
      openAiTurn(words(1100, `s${i}_`), [{ user: words(10, "u"), assistant: "" }], 1),
    );
    for (const body of bodies) {
      await cache.commit(await cache.classify(cache.prepare(body, "openai"), PRINCIPAL), ok);
    }
    expect(index.size).toBe(2);
    const first = await cache.classify(cache.prepare(bodies[0], "openai"), PRINCIPAL);
    expect(first).toMatchObject({ outcome: "write", read: 0 });
    const last = await cache.classify(cache.prepare(bodies[2], "openai"), PRINCIPAL);
    expect(last).toMatchObject({ outcome: "pure-read", read: 1110 });
  });

  it("with the default BPE tokenizer, turn 2 reads exactly the tokens turn 1 wrote", async () => {
    const real = createGptTokenizer();
    const seen: string[] = [];
    const tokenizer: Tokenizer = {
      version: real.version,
      countCumulative(segments) {
        for (const segment of segments) seen.push(...segment);
        return real.countCumulative(segments);
      },
    };
    const { cache } = setup({ tokenizer });
    const system = "You are a careful assistant. ".repeat(300);
    const turns = [
      {
        user: "Summarise the attached contract in three bullet points.",
        assistant: "Here is the summary: parties, term, payment.",
      },
      { user: "Now list the termination clauses.", assistant: "" },
    ];
    const c1 = await cache.classify(
      cache.prepare(openAiTurn(system, turns, 1), "openai"),
      PRINCIPAL,
    );
    expect(c1.scope.tokenizerVersion).toBe(real.version);
    const written = c1.pendingWrites.at(-1)?.cumulativeTokenCount as number;
    expect(written).toBeGreaterThan(1024);
    await cache.commit(c1, ok);
    seen.length = 0;
    const c2 = await cache.classify(
      cache.prepare(openAiTurn(system, turns, 2), "openai"),
      PRINCIPAL,
    );
    expect(c2.read).toBe(written);
    expect(seen).toEqual([turns[0]?.assistant, turns[1]?.user]);
    const [fresh] = await real.countCumulative([
      [turns[0]?.assistant as string, turns[1]?.user as string],
    ]);
    expect(c2.creation["5m"]).toBe(fresh);
  });
});
