import { countTokens as cl100k } from "gpt-tokenizer/encoding/cl100k_base";
import { countTokens as o200k } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { countInPieces, MAX_TOKEN_PIECE, pieceEnd, SlicedCounter } from "../src/index.js";

const PLAIN = { disallowedSpecial: new Set<string>() };
const ENCODINGS = {
  o200k_base: (text: string) => o200k(text, PLAIN),
  cl100k_base: (text: string) => cl100k(text, PLAIN),
};

/** A small seeded generator, so a failure replays. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Letters without any break, as one pasted blob (no two pieces alike, so no merge-cache hits). */
function oneWord(length: number, seed = 7): string {
  const next = rng(seed);
  let word = "";
  while (word.length < length) word += String.fromCharCode(97 + Math.floor(next() * 26));
  return word;
}

const WORDS = [
  "the",
  "Tokenizer",
  "don't",
  "it's",
  "naïve",
  "straße",
  "日本語",
  "🙂",
  "👨‍👩‍👧",
  "e\u0301",
  "1234567",
  "3.14",
  "x86_64",
  "<|endoftext|>",
  "http://example.com/a/b?c=d",
  '{"a":[1,2],"b":"c d"}',
  "foo.bar(baz)",
  "--flag=value",
  "ALLCAPS",
  "camelCaseWord",
  "",
];
const GLUE = [" ", " ", " ", "  ", "\n", "\n\n", "\t", ", ", ". ", "; ", " - ", "\r\n", ""];

/** Ordinary text, code and JSON: words of every kind joined by spaces, punctuation and newlines. */
function ordinaryText(next: () => number, length: number): string {
  let text = "";
  while (text.length < length) {
    text += WORDS[Math.floor(next() * WORDS.length)];
    text += GLUE[Math.floor(next() * GLUE.length)];
  }
  return text;
}

/** JSON without spaces, as `JSON.stringify` writes tool schemas. */
function compactJson(next: () => number, items: number): string {
  return JSON.stringify(
    Array.from({ length: items }, (_, i) => ({
      name: `tool_${i}`,
      type: "object",
      properties: { city: { type: "string", enum: ["a", "b"] }, n: Math.floor(next() * 1e6) },
    })),
  );
}

function piecesOf(text: string): string[] {
  const pieces: string[] = [];
  countInPieces((piece) => {
    pieces.push(piece);
    return 0;
  }, text);
  return pieces;
}

describe("counting in pieces", () => {
  it("never hands the tokenizer more than MAX_TOKEN_PIECE units, and covers the text exactly", () => {
    for (const text of [oneWord(200_000), " ".repeat(5_000), "日本語".repeat(3_000)]) {
      const pieces = piecesOf(text);
      expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(MAX_TOKEN_PIECE);
      expect(pieces.join("")).toBe(text);
    }
  });

  it("counts a 200k-character word in a number of calls linear in its length", () => {
    const pieces = piecesOf(oneWord(200_000));
    // Every piece but the last is longer than half the bound.
    expect(pieces.length).toBeLessThanOrEqual(Math.ceil(200_000 / (MAX_TOKEN_PIECE / 2)));
    expect(pieces.slice(0, -1).every((p) => p.length > MAX_TOKEN_PIECE / 2)).toBe(true);
  });

  it("gives exactly the one-pass count for ordinary text, code and JSON (both encodings)", () => {
    const next = rng(0x5eed);
    for (let i = 0; i < 300; i++) {
      const text = i % 3 === 2 ? compactJson(next, 1 + (i % 40)) : ordinaryText(next, 50 + i * 20);
      for (const count of Object.values(ENCODINGS)) {
        expect(countInPieces(count, text)).toBe(count(text));
      }
    }
  });

  it("never cuts a surrogate pair, so UTF-8 bytes stay an upper bound on the count", () => {
    const text = `${"🙂".repeat(1_000)}a${"👍🏽".repeat(1_000)}`;
    const pieces = piecesOf(text);
    expect(pieces.join("")).toBe(text);
    for (const piece of pieces) expect(piece).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    const bytes = pieces.reduce((sum, p) => sum + Buffer.byteLength(p, "utf8"), 0);
    expect(bytes).toBe(Buffer.byteLength(text, "utf8"));
    expect(countInPieces(ENCODINGS.o200k_base, text)).toBeLessThanOrEqual(bytes);
  });

  it("stays close to the one-pass count where it must cut a long word", () => {
    const word = oneWord(4_000, 11);
    const whole = ENCODINGS.o200k_base(word);
    const pieces = countInPieces(ENCODINGS.o200k_base, word);
    // At most a couple of tokens per forced cut.
    expect(Math.abs(pieces - whole)).toBeLessThanOrEqual(2 * Math.ceil(4_000 / MAX_TOKEN_PIECE));
  });

  it("cuts at the last space in the window, not in the middle of a word", () => {
    const text = `${"abcdefg ".repeat(100)}`;
    const end = pieceEnd(text, 0);
    expect(end).toBeLessThanOrEqual(MAX_TOKEN_PIECE);
    expect(text[end]).toBe(" ");
    expect(text[end - 1]).toBe("g");
  });
});

describe("SlicedCounter", () => {
  it("counts what countInPieces counts, in pieces no longer than the bound", async () => {
    const text = oneWord(50_000, 3);
    let longest = 0;
    const counter = new SlicedCounter((piece) => {
      longest = Math.max(longest, piece.length);
      return ENCODINGS.o200k_base(piece);
    });
    expect(await counter.tokens(text)).toBe(countInPieces(ENCODINGS.o200k_base, text));
    expect(longest).toBeLessThanOrEqual(MAX_TOKEN_PIECE);
    expect(await counter.tokens("")).toBe(0);
  });

  it("starts a long text on a later turn: work queued before it runs first", async () => {
    const order: string[] = [];
    const counter = new SlicedCounter((piece) => {
      order.push("piece");
      return piece.length;
    }, Number.POSITIVE_INFINITY);
    setImmediate(() => order.push("other work"));
    expect(await counter.tokens(oneWord(2_000))).toBe(2_000);
    expect(order[0]).toBe("other work");
    // An endless slice: no yield after that first one.
    expect(order.slice(1).every((step) => step === "piece")).toBe(true);
  });

  it("counts a text of one piece at once, without yielding", async () => {
    const order: string[] = [];
    const counter = new SlicedCounter((piece) => piece.length, Number.POSITIVE_INFINITY);
    setImmediate(() => order.push("other work"));
    await counter.tokens("a short prompt").then((n) => order.push(`counted ${n}`));
    expect(order).toEqual(["counted 14"]);
  });

  it("yields between slices: work queued during the count runs before it ends", async () => {
    const order: string[] = [];
    let pieces = 0;
    // A zero-length slice yields after every piece.
    const counter = new SlicedCounter((piece) => {
      pieces++;
      if (pieces === 3) setImmediate(() => order.push(`other work after piece ${pieces}`));
      return piece.length;
    }, 0);
    await counter.tokens(oneWord(2_000)).then((n) => order.push(`counted ${n}`));
    expect(order).toEqual(["other work after piece 3", "counted 2000"]);
  });
});
