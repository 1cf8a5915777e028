import { describe, expect, it } from "vitest";
import { LOOKBACK_BLOCKS } from "../src/candidates.js";
import { candidateIndices, PrefixCache, parseRequest, prefixHashes } from "../src/index.js";
import {
  ephemeral,
  MapCacheIndex,
  must,
  PRINCIPAL,
  TARIFFS,
  text,
  WordTokenizer,
} from "./helpers.js";

const conversation = (turns: number, markedAt: readonly number[]) => ({
  messages: Array.from({ length: turns }, (_, i) => ({
    role: i % 2 === 0 ? "user" : "assistant",
    content: markedAt.includes(i) ? [text(`turn ${i}`, ephemeral())] : `turn ${i}`,
  })),
});

const hex = (hashes: readonly Uint8Array[]) => hashes.map((h) => Buffer.from(h).toString("hex"));

describe("candidates", () => {
  it("look back 20 blocks per breakpoint, longest first", () => {
    expect(LOOKBACK_BLOCKS).toBe(20);
    const indexes = candidateIndices([29]);
    expect(indexes).toHaveLength(20);
    expect(indexes[0]).toBe(29);
    expect(indexes.at(-1)).toBe(10);
    expect(indexes).toEqual([...indexes].sort((a, b) => b - a));
  });

  it("stop at block 0", () => {
    expect(candidateIndices([5])).toEqual([5, 4, 3, 2, 1, 0]);
  });

  it("are unioned over breakpoints and deduplicated", () => {
    expect(candidateIndices([3, 25])).toEqual([
      25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 3, 2, 1, 0,
    ]);
    expect(candidateIndices([10, 12])).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it("exactly 20 candidate hashes, longest first, go to one lookup", async () => {
    const index = new MapCacheIndex();
    const cache = new PrefixCache({ index, tariffs: TARIFFS, tokenizer: new WordTokenizer() });
    const body = conversation(30, [29]);
    await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expect(index.lookups).toHaveLength(1);
    const all = prefixHashes(parseRequest(body, "openai").blocks);
    expect(hex(must(index.lookups[0]))).toEqual(hex(all.slice(10, 30).reverse()));
  });

  it("several breakpoints still make one lookup", async () => {
    const index = new MapCacheIndex();
    const cache = new PrefixCache({ index, tariffs: TARIFFS, tokenizer: new WordTokenizer() });
    await cache.classify(cache.prepare(conversation(40, [5, 20, 39]), "openai"), PRINCIPAL);
    expect(index.lookups).toHaveLength(1);
    expect(index.lookups[0]).toHaveLength(40);
    expect(new Set(hex(must(index.lookups[0]))).size).toBe(40);
  });

  it("no breakpoint, no lookup", async () => {
    const index = new MapCacheIndex();
    const cache = new PrefixCache({ index, tariffs: TARIFFS, tokenizer: new WordTokenizer() });
    const result = await cache.classify(cache.prepare(conversation(3, []), "openai"), PRINCIPAL);
    expect(result.outcome).toBe("no-breakpoints");
    expect(index.lookups).toHaveLength(0);
  });
});
