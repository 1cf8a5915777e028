import { createRequire } from "node:module";
import { describe, expect, it, vi } from "vitest";
import { createGptTokenizer, MAX_TOKEN_PIECE, PrefixCache } from "../src/index.js";
import { GPT_TOKENIZER_VERSION } from "../src/tokenizer.js";
import { ephemeral, MapCacheIndex, PRINCIPAL, TARIFFS, text } from "./helpers.js";

/** Length of every text gpt-tokenizer's o200k_base was asked to count (the real count runs). */
const counted = vi.hoisted(() => [] as number[]);
vi.mock("gpt-tokenizer/encoding/o200k_base", async (importOriginal) => {
  const real = await importOriginal<typeof import("gpt-tokenizer/encoding/o200k_base")>();
  return {
    ...real,
    countTokens: (input: string, options?: Parameters<typeof real.countTokens>[1]) => {
      counted.push(input.length);
      return real.countTokens(input, options);
    },
  };
});

describe("the default tokenizer", () => {
  it("is gpt-tokenizer's o200k_base, and its version names the installed release", () => {
    const installed = createRequire(import.meta.url)("gpt-tokenizer/package.json") as {
      version: string;
    };
    expect(GPT_TOKENIZER_VERSION).toBe(installed.version);
    expect(createGptTokenizer().version).toBe(`gpt-tokenizer@${installed.version}:o200k_base`);
    expect(createGptTokenizer({ encoding: "cl100k_base" }).version).toMatch(/:cl100k_base$/);
  });

  it("counts real BPE tokens, cumulatively over segments", async () => {
    const tokenizer = createGptTokenizer();
    expect(
      await tokenizer.countCumulative([["hello world"], [], ["hello world", " again"]]),
    ).toEqual([2, 2, 5]);
  });

  it("counts special-token strings as plain text instead of throwing", async () => {
    const [count] = await createGptTokenizer().countCumulative([["a <|endoftext|> b"]]);
    expect(count).toBeGreaterThan(3);
  });

  it("counts a 200k-character word in pieces of bounded length (linear, never one BPE call)", async () => {
    const next = (
      (s: number) => () =>
        (s = (Math.imul(s, 1664525) + 1013904223) >>> 0)
    )(9);
    let word = "";
    while (word.length < 200_000) word += String.fromCharCode(97 + (next() % 26));
    counted.length = 0;
    const [total] = await createGptTokenizer().countCumulative([[word, "hello world"]]);
    expect(Math.max(...counted)).toBeLessThanOrEqual(MAX_TOKEN_PIECE);
    expect(counted.length).toBeLessThanOrEqual(Math.ceil(200_000 / (MAX_TOKEN_PIECE / 2)) + 1);
    // Random letters: roughly one token per two or three letters.
    expect(total).toBeGreaterThan(200_000 / 4);
    expect(total).toBeLessThan(200_000);
  });

  it("is the PrefixCache default and goes into the scope", async () => {
    const cache = new PrefixCache({ index: new MapCacheIndex(), tariffs: TARIFFS });
    expect(cache.tokenizerVersion).toBe(`gpt-tokenizer@${GPT_TOKENIZER_VERSION}:o200k_base`);
    const body = {
      messages: [{ role: "user", content: [text("hello ".repeat(1100), ephemeral())] }],
    };
    const c = await cache.classify(cache.prepare(body, "openai"), PRINCIPAL);
    expect(c.scope.tokenizerVersion).toBe(cache.tokenizerVersion);
    expect(c.outcome).toBe("write");
    expect(c.creation["5m"]).toBeGreaterThanOrEqual(1024);
  });

  it("images add no tokens, text parts count their text only", async () => {
    const cache = new PrefixCache({
      index: new MapCacheIndex(),
      tariffs: { m: { inputPerMillion: 1, outputPerMillion: 1, minPrefixTokens: 1 } },
    });
    const image = {
      type: "image_url",
      image_url: { url: `data:image/png;base64,${"A".repeat(5000)}` },
    };
    const body = {
      messages: [{ role: "user", content: [image, text("hello world", ephemeral())] }],
    };
    const c = await cache.classify(cache.prepare(body, "openai"), {
      principalId: "o",
      virtualModel: "m",
    });
    expect(c.creation["5m"]).toBe(2);
  });
});
