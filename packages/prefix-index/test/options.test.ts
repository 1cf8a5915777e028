import type { CacheIndex } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import {
  errors,
  InvalidPrefixCacheOptionsError,
  PrefixCache,
  type PrefixCacheOptions,
} from "../src/index.js";
import { MapCacheIndex, TARIFFS, WordTokenizer } from "./helpers.js";

const base = (): PrefixCacheOptions => ({
  index: new MapCacheIndex(),
  tariffs: TARIFFS,
  tokenizer: new WordTokenizer(),
});

describe("options are validated at construction", () => {
  it.each<[string, Partial<PrefixCacheOptions> | Record<string, unknown>, RegExp]>([
    ["index", { index: {} as CacheIndex }, /index must be a CacheIndex/],
    ["tariffs", { tariffs: null }, /tariffs must be an object/],
    ["enabledTtlTiers empty", { enabledTtlTiers: [] }, /enabledTtlTiers/],
    ["enabledTtlTiers unknown", { enabledTtlTiers: ["5m", "2h"] }, /enabledTtlTiers/],
    [
      "defaultTtl not enabled",
      { defaultTtl: "24h" },
      /defaultTtl "24h" must be one of enabledTtlTiers/,
    ],
    ["lookupTimeoutMs", { lookupTimeoutMs: 0 }, /lookupTimeoutMs/],
    ["commitDeadlineMs", { commitDeadlineMs: -5 }, /commitDeadlineMs/],
    ["tokenizer", { tokenizer: { version: "", countCumulative: () => [] } }, /tokenizer.version/],
  ])("%s", (_, override, message) => {
    const run = () => new PrefixCache({ ...base(), ...override } as PrefixCacheOptions);
    expect(run).toThrow(InvalidPrefixCacheOptionsError);
    expect(run).toThrow(message);
  });

  it("24h can be opted in and made the default", () => {
    const cache = new PrefixCache({
      ...base(),
      enabledTtlTiers: ["5m", "1h", "24h"],
      defaultTtl: "24h",
    });
    const prepared = cache.prepare(
      {
        messages: [
          {
            role: "user",
            content: [{ type: "text", text: "x", cache_control: { type: "ephemeral" } }],
          },
        ],
      },
      "openai",
    );
    expect(prepared.breakpoints.map((b) => b.tier)).toEqual(["24h"]);
  });

  it("errors are collected by code", () => {
    expect(errors.E_INVALID_PREFIX_CACHE_OPTIONS).toBe(InvalidPrefixCacheOptionsError);
    expect(Object.keys(errors)).toContain("E_CACHE_CONTROL_TTL_ORDER");
    for (const [code, ErrorClass] of Object.entries(errors)) expect(ErrorClass.code).toBe(code);
  });
});
