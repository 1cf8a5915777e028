import { describe, expect, it } from "vitest";
import { extractUsage, spliceUsage, usageSpan } from "../src/pipeline/usage-extract.js";

describe("usage without parsing everything", () => {
  it("extractUsage reads the top-level usage object from the end of a JSON body", () => {
    const body = Buffer.from(
      JSON.stringify({
        choices: [{ message: { content: 'text with "usage": {"prompt_tokens": 999} inside' } }],
        usage: {
          prompt_tokens: 12,
          completion_tokens: 3,
          prompt_tokens_details: { cached_tokens: 0 },
        },
        system_fingerprint: "fp",
      }),
    );
    expect(extractUsage(body, "openai")).toEqual({
      prompt_tokens: 12,
      completion_tokens: 3,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(extractUsage(Buffer.from('{"usage": 3}'), "openai")).toBeUndefined();
    expect(extractUsage(Buffer.from('{"usage": {"input_tokens": 1}}'), "openai")).toBeUndefined();
    expect(extractUsage(Buffer.from('{"usage": {"input_tokens": 1}}'), "anthropic")).toEqual({
      input_tokens: 1,
    });
    expect(extractUsage(Buffer.from('{"usage": {"prompt_tokens": 1'), "openai")).toBeUndefined();
  });

  it("usageSpan only takes a top-level usage; spliceUsage replaces just those bytes", () => {
    const text =
      '{"id":"x","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1},"system_fingerprint":"fp"}';
    const span = usageSpan(Buffer.from(text), "openai");
    expect(span?.usage).toEqual({ prompt_tokens: 5, completion_tokens: 1 });
    const spliced = spliceUsage(Buffer.from(text), span as NonNullable<typeof span>, {
      prompt_tokens: 5,
      cached: 2,
    });
    expect(spliced.toString()).toBe(
      '{"id":"x","choices":[],"usage":{"prompt_tokens":5,"cached":2},"system_fingerprint":"fp"}',
    );
    // A nested usage object (not the response's) is refused: the caller parses the whole body.
    const nested = '{"choices":[{"message":{"usage":{"prompt_tokens":1}}}]}';
    expect(usageSpan(Buffer.from(nested), "openai")).toBeUndefined();
    expect(
      usageSpan(Buffer.from('{"usage":{"prompt_tokens":1}} trailing'), "openai"),
    ).toBeUndefined();
  });
});
