import { MAX_TOKEN_PIECE } from "@switchyard/prefix-index";
import { describe, expect, it, vi } from "vitest";
import {
  CountDeferred,
  Estimates,
  SYNC_COUNT_LIMIT,
  withCount,
} from "../src/pipeline/estimates.js";
import { collectInput, countCollected } from "../src/pipeline/token-estimate.js";
import { countedLengths, oneWord } from "./helpers/tokenizer-spy.js";

vi.mock("gpt-tokenizer/encoding/o200k_base", async () =>
  (await import("./helpers/tokenizer-spy.js")).spiedO200k(),
);

// Issue 14.1: a long prompt is never tokenized in one go on the event loop.

const body = (content: string) => ({ model: "m", messages: [{ role: "user", content }] });
const LONG = body(oneWord(200_000));

describe("Estimates on a long prompt", () => {
  it("defers the count instead of tokenizing synchronously; the upper bound still answers", () => {
    const estimates = new Estimates("openai", LONG);
    countedLengths.length = 0;
    expect(() => estimates.inputTokens()).toThrow(CountDeferred);
    expect(countedLengths).toEqual([]);
    expect(estimates.inputTokensAtMost()).toBe(200_000 + 1 + 6);
    expect(estimates.known).toBeUndefined();
  });

  it("counts with count(): on a later turn, in pieces of bounded length, then inputTokens() knows it", async () => {
    const estimates = new Estimates("openai", LONG);
    countedLengths.length = 0;
    const order: string[] = [];
    setImmediate(() => order.push(`other work after ${countedLengths.length} pieces`));
    const tokens = await estimates.count();
    expect(order).toEqual(["other work after 0 pieces"]);
    expect(Math.max(...countedLengths)).toBeLessThanOrEqual(MAX_TOKEN_PIECE);
    expect(tokens).toBe(countCollected(collectInput("openai", LONG)));
    expect(estimates.inputTokens()).toBe(tokens);
    expect(estimates.known).toBe(tokens);
    expect(await estimates.count()).toBe(tokens);
  });

  it("counts a prompt up to SYNC_COUNT_LIMIT synchronously, as before", () => {
    const short = body("x".repeat(SYNC_COUNT_LIMIT - 1));
    const estimates = new Estimates("openai", short);
    expect(estimates.inputTokens()).toBe(countCollected(collectInput("openai", short)));
  });
});

describe("withCount", () => {
  it("decides synchronously, once, when the count is not deferred", () => {
    const estimates = new Estimates("openai", body("a short question"));
    const decide = vi.fn(() => estimates.inputTokens());
    const result = withCount(estimates, decide);
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toBe(estimates.known);
    expect(decide).toHaveBeenCalledTimes(1);
  });

  it("counts a deferred prompt asynchronously and decides again with the count", async () => {
    const estimates = new Estimates("openai", LONG);
    const decide = vi.fn(() => estimates.inputTokens() > 50_000);
    const result = withCount(estimates, decide);
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe(true);
    expect(decide).toHaveBeenCalledTimes(2);
  });

  it("passes any other error through", () => {
    const estimates = new Estimates("openai", LONG);
    expect(() =>
      withCount(estimates, () => {
        throw new RangeError("not ours");
      }),
    ).toThrow(RangeError);
  });
});
