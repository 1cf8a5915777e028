import { describe, expect, it } from "vitest";
import {
  applyGapCap,
  type CacheSplit,
  PrefixCache,
  reportUsage,
  scrubUsage,
} from "../src/index.js";
import {
  ephemeral,
  MapCacheIndex,
  must,
  PRINCIPAL,
  TARIFFS,
  text,
  WordTokenizer,
  words,
} from "./helpers.js";

const split = (read: number, c5 = 0, c1 = 0, c24 = 0): CacheSplit => ({
  read,
  creation: { "5m": c5, "1h": c1, "24h": c24 },
});

const upstreamOpenAI = {
  prompt_tokens: 2800,
  completion_tokens: 100,
  total_tokens: 2900,
  prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
  prompt_cache_hit_tokens: 1024,
  prompt_cache_miss_tokens: 1776,
};

const upstreamAnthropic = {
  input_tokens: 1000,
  cache_creation_input_tokens: 300,
  cache_read_input_tokens: 1500,
  cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 0 },
  output_tokens: 100,
};

describe("scrubbing provider cache fields", () => {
  it("OpenAI: removes the fields and zeroes cached_tokens; prompt_tokens stays the full input", () => {
    const { usage, promptTokens } = scrubUsage("openai", {
      ...upstreamOpenAI,
      cache_discount: 0.5,
      cache_read_input_tokens: 1,
    });
    expect(usage).toEqual({
      prompt_tokens: 2800,
      completion_tokens: 100,
      total_tokens: 2900,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    });
    expect(promptTokens).toBe(2800);
  });

  it("Anthropic: folds the provider's cache reads and writes back into input_tokens", () => {
    const { usage, promptTokens } = scrubUsage("anthropic", upstreamAnthropic);
    expect(usage).toEqual({ input_tokens: 2800, output_tokens: 100 });
    expect(promptTokens).toBe(2800);
  });

  it("does not mutate its input", () => {
    const input = structuredClone(upstreamAnthropic);
    scrubUsage("anthropic", input);
    expect(input).toEqual(upstreamAnthropic);
  });
});

describe("injecting the split", () => {
  it("OpenAI shape", () => {
    const { usage, billed } = reportUsage("openai", upstreamOpenAI, split(2000, 0, 500));
    expect(usage).toEqual({
      prompt_tokens: 2800,
      completion_tokens: 100,
      total_tokens: 2900,
      prompt_tokens_details: { cached_tokens: 2000, audio_tokens: 0 },
      cache_read_input_tokens: 2000,
      cache_creation_input_tokens: 500,
      cache_creation: {
        ephemeral_5m_input_tokens: 0,
        ephemeral_1h_input_tokens: 500,
        ephemeral_24h_input_tokens: 0,
      },
    });
    expect(billed).toEqual({
      promptTokens: 2800,
      completionTokens: 100,
      cacheReadTokens: 2000,
      cacheCreationTokens: { "5m": 0, "1h": 500, "24h": 0 },
      uncachedTokens: 300,
      gapCap: "none",
    });
  });

  it("Anthropic shape: the three input counts do not overlap", () => {
    const { usage } = reportUsage("anthropic", upstreamAnthropic, split(2000, 100, 400));
    expect(usage).toEqual({
      input_tokens: 300,
      cache_creation_input_tokens: 500,
      cache_read_input_tokens: 2000,
      cache_creation: {
        ephemeral_5m_input_tokens: 100,
        ephemeral_1h_input_tokens: 400,
        ephemeral_24h_input_tokens: 0,
      },
      output_tokens: 100,
    });
  });

  it("an enabled model always gets the fields, zeros when nothing is cached", () => {
    const { usage } = reportUsage("openai", { prompt_tokens: 10, completion_tokens: 1 }, split(0));
    expect(usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 1,
      prompt_tokens_details: { cached_tokens: 0 },
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_creation: {
        ephemeral_5m_input_tokens: 0,
        ephemeral_1h_input_tokens: 0,
        ephemeral_24h_input_tokens: 0,
      },
    });
  });

  it("a usage object without an input count is only scrubbed and bills nothing", () => {
    const reported = reportUsage("anthropic", { output_tokens: 42 }, split(100));
    expect(reported).toEqual({
      usage: { output_tokens: 42 },
      billed: undefined,
      completionTokens: 42,
    });
  });
});

describe("a model without a tariff is only scrubbed", () => {
  it("through PrefixCache.reportUsage", async () => {
    const cache = new PrefixCache({
      index: new MapCacheIndex(),
      tariffs: TARIFFS,
      tokenizer: new WordTokenizer(),
    });
    const body = { messages: [{ role: "user", content: [text(words(2000, "w"), ephemeral())] }] };
    const c = await cache.classify(cache.prepare(body, "openai"), {
      principalId: "o",
      virtualModel: "unpriced",
    });
    expect(cache.reportUsage("openai", upstreamOpenAI, c)?.usage).toEqual({
      prompt_tokens: 2800,
      completion_tokens: 100,
      total_tokens: 2900,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    });
    expect(cache.reportUsage("anthropic", upstreamAnthropic, c)?.usage).toEqual({
      input_tokens: 2800,
      output_tokens: 100,
    });
    expect(
      cache.price("unpriced", must(cache.reportUsage("openai", upstreamOpenAI, c)?.billed)),
    ).toBeUndefined();
  });

  it("while a priced model gets the fields", async () => {
    const cache = new PrefixCache({
      index: new MapCacheIndex(),
      tariffs: TARIFFS,
      tokenizer: new WordTokenizer(),
    });
    const c = await cache.classify(cache.prepare({ messages: [] }, "openai"), PRINCIPAL);
    expect(cache.reportUsage("openai", upstreamOpenAI, c)?.usage).toHaveProperty(
      "cache_read_input_tokens",
      0,
    );
    expect(cache.reportUsage("openai", undefined, c)).toBeUndefined();
  });
});

describe("the gap cap", () => {
  it("leaves a split that fits", () => {
    expect(applyGapCap(split(2000, 0, 500), 2800)).toEqual({
      ...split(2000, 0, 500),
      gapCap: "none",
    });
    expect(applyGapCap(split(2300, 0, 500), 2800)).toEqual({
      ...split(2300, 0, 500),
      gapCap: "none",
    });
  });

  it("shrinks the read to prompt - creations when read + creations exceed the prompt", () => {
    // 2,600 + 500 = 3,100 > 2,800, so read = 2,800 - 500 = 2,300.
    expect(applyGapCap(split(2600, 200, 300), 2800)).toEqual({
      ...split(2300, 200, 300),
      gapCap: "read",
    });
  });

  it("zeroes everything when the creations alone exceed the prompt", () => {
    // 2,000 + 900 = 2,900 > 2,800.
    expect(applyGapCap(split(100, 2000, 900), 2800)).toEqual({ ...split(0), gapCap: "all" });
  });

  it("creations exactly equal to the prompt are kept, with the read cut to zero", () => {
    expect(applyGapCap(split(50, 2800), 2800)).toEqual({ ...split(0, 2800), gapCap: "read" });
  });

  it("the client sees and is billed the capped numbers", () => {
    const { usage, billed } = reportUsage(
      "anthropic",
      { input_tokens: 1000, output_tokens: 5 },
      split(900, 300),
    );
    expect(usage).toMatchObject({
      input_tokens: 0,
      cache_read_input_tokens: 700,
      cache_creation_input_tokens: 300,
    });
    expect(billed).toMatchObject({
      cacheReadTokens: 700,
      cacheCreationTokens: { "5m": 300 },
      uncachedTokens: 0,
      gapCap: "read",
    });
  });
});
