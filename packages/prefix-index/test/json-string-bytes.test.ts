import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../src/index.js";
import { jsonStringBytes } from "../src/json-string-bytes.js";

const expected = (s: string) => Buffer.from(JSON.stringify(s), "utf8");

describe("long strings are escaped exactly as JSON.stringify escapes them", () => {
  it("on 2,000 random strings with controls, quotes, backslashes, any Unicode and lone surrogates", {
    timeout: 60_000,
  }, () => {
    const risky = fc.constantFrom(
      '"',
      "\\",
      "\n",
      "\r",
      "\t",
      "\b",
      "\f",
      "\u0000",
      "\u001f",
      "\u007f",
      "\u2028",
      "é",
      "😀",
      "\ud800",
      "\udfff",
    );
    const text = fc
      .array(fc.oneof(fc.string(), fc.string({ unit: "binary" }), risky), { maxLength: 60 })
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (s) => {
        expect(jsonStringBytes(s).equals(expected(s))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it("on a long prompt with many newlines, and inside canonical JSON", () => {
    const prompt = 'Line "one"\n\tindented \\ path\r\n'.repeat(5_000);
    expect(jsonStringBytes(prompt).equals(expected(prompt))).toBe(true);
    const block = { type: "text", text: prompt, cache_control: { type: "ephemeral" } };
    expect(canonicalJson(block, "cache_control")).toBe(
      JSON.stringify({ text: prompt, type: "text" }),
    );
  });
});
