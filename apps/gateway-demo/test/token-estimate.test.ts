import { describe, expect, it } from "vitest";
import { Estimates } from "../src/pipeline/estimates.js";
import {
  collectedAtMost,
  collectInput,
  countCollected,
  estimateInputTokens,
} from "../src/pipeline/token-estimate.js";

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
    const model = { inputPricePerMillion: 3, outputPricePerMillion: 15 };
    const atMost = estimates.costOn(model, "atMost");
    expect(estimates.known).toBeUndefined();
    expect(atMost).toBeGreaterThanOrEqual(estimates.costOn(model) as number);
    expect(estimates.costOn({ inputPricePerMillion: 3 }, "atMost")).toBeUndefined();
  });
});
