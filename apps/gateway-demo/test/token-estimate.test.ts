import { MAX_TOKEN_PIECE } from "@switchyard/prefix-index";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it, vi } from "vitest";
import { Estimates } from "../src/pipeline/estimates.js";
import {
  collectedAtMost,
  collectInput,
  countCollected,
  countCollectedSliced,
  countTextTokens,
  estimateInputTokens,
} from "../src/pipeline/token-estimate.js";
import { countedLengths, oneWord } from "./helpers/tokenizer-spy.js";

vi.mock("gpt-tokenizer/encoding/o200k_base", async () =>
  (await import("./helpers/tokenizer-spy.js")).spiedO200k(),
);

/** Pieces that stress a byte-level BPE: multi-byte scripts, emoji, lone surrogates, special-token text. */
const PIECES = [
  "hello",
  " world",
  "   ",
  "\n\n",
  "\t",
  "1234567890",
  "ÄÖÜ straße",
  "日本語のテキスト",
  "한국어",
  "🙂👍🏽",
  "👨‍👩‍👧",
  "e\u0301",
  "\ud800",
  "\udfff",
  "<|endoftext|>",
  "<|im_start|>",
  '{"a":[1,2]}',
  "x".repeat(300),
  " ".repeat(50),
  "ab".repeat(40),
  ".\n",
];

/** A small seeded generator, so a failure replays. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomText(next: () => number): string {
  let text = "";
  const parts = Math.floor(next() * 12);
  for (let i = 0; i < parts; i++) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

function randomBody(next: () => number): Record<string, unknown> {
  const messages = Array.from({ length: Math.floor(next() * 4) }, () =>
    next() < 0.5
      ? { role: "user", content: randomText(next) }
      : {
          role: "user",
          content: [
            { type: "text", text: randomText(next) },
            { type: "image_url", image_url: { url: "u" } },
          ],
        },
  );
  return { model: "m", system: randomText(next), messages };
}

describe("the token upper bound (UTF-8 bytes of the text plus the extras)", () => {
  it("is never below the tokenizer's count (2,000 seeded bodies, both APIs)", () => {
    const next = rng(0x9e3779b9);
    for (let i = 0; i < 2000; i++) {
      const body = randomBody(next);
      for (const api of ["openai", "anthropic"] as const) {
        const input = collectInput(api, body);
        expect(collectedAtMost(input)).toBeGreaterThanOrEqual(countCollected(input));
      }
    }
  });

  it("equals the count for an empty prompt (only the extras)", () => {
    const input = collectInput("openai", { messages: [{ role: "user", content: "" }] });
    expect(collectedAtMost(input)).toBe(countCollected(input));
  });
});

describe("Estimates", () => {
  const body = { model: "m", messages: [{ role: "user", content: "a short question, please" }] };

  it("gives the bound without tokenizing, then the count equal to the one-pass estimate", () => {
    const estimates = new Estimates("openai", body);
    const bound = estimates.inputTokensAtMost();
    expect(estimates.known).toBeUndefined();
    expect(estimates.inputTokens()).toBe(estimateInputTokens("openai", body));
    expect(bound).toBeGreaterThanOrEqual(estimates.inputTokens());
    expect(estimates.inputTokensAtMost()).toBe(estimates.inputTokens());
  });

  it("prices at the bound without tokenizing, never below the exact cost", () => {
    const estimates = new Estimates("openai", body);
    const model = {
      inputPricePerMillion: 3,
      outputPricePerMillion: 15,
      providerKind: "openai" as const,
    };
    const atMost = estimates.costOn(model, "atMost");
    expect(estimates.known).toBeUndefined();
    expect(atMost).toBeGreaterThanOrEqual(estimates.costOn(model) as number);
    expect(
      estimates.costOn({ inputPricePerMillion: 3, providerKind: "openai" }, "atMost"),
    ).toBeUndefined();
  });
});

describe("counting in pieces (issue 14.1: one long word is linear work)", () => {
  it("never hands the tokenizer a piece longer than MAX_TOKEN_PIECE, even for a 200k-character word", async () => {
    const word = oneWord(200_000, 5);
    countedLengths.length = 0;
    const sync = countTextTokens(word);
    expect(Math.max(...countedLengths)).toBeLessThanOrEqual(MAX_TOKEN_PIECE);
    expect(countedLengths.length).toBeLessThanOrEqual(Math.ceil(200_000 / (MAX_TOKEN_PIECE / 2)));
    countedLengths.length = 0;
    const input = collectInput("openai", { messages: [{ role: "user", content: word }] });
    expect(await countCollectedSliced(input)).toBe(countCollected(input));
    expect(Math.max(...countedLengths)).toBeLessThanOrEqual(MAX_TOKEN_PIECE);
    // Random letters: about one token per two letters.
    expect(sync).toBeGreaterThan(80_000);
    expect(sync).toBeLessThan(120_000);
  });

  it("counts ordinary prose, tool schemas and code exactly as one pass would", () => {
    const next = rng(0xc0ffee);
    const words = [
      "the",
      "gateway",
      "don't",
      "naïve",
      "日本語",
      "🙂",
      "3.14",
      "x86_64",
      "foo.bar()",
    ];
    let prose = "";
    while (prose.length < 30_000) {
      prose += words[Math.floor(next() * words.length)];
      prose += [" ", " ", ", ", ".\n", "\n\n"][Math.floor(next() * 5)];
    }
    const tools = Array.from({ length: 30 }, (_, i) => ({
      type: "function",
      function: {
        name: `tool_${i}`,
        parameters: { type: "object", properties: { q: { type: "string" } } },
      },
    }));
    const body = {
      system: prose.slice(0, 5_000),
      messages: [
        { role: "user", content: prose },
        { role: "assistant", content: "const x = [1,2,3].map((n)=>n*2);".repeat(200) },
      ],
      tools,
    };
    for (const api of ["openai", "anthropic"] as const) {
      const input = collectInput(api, body);
      expect(countCollected(input)).toBe(countTokens(input.text, PLAIN) + input.extra);
    }
  });
});

const PLAIN = { disallowedSpecial: new Set<string>() };
