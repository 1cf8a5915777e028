import { describe, expect, it } from "vitest";
import {
  InvalidPrefixCacheOptionsError,
  PrefixCache,
  priceUsage,
  resolveTariff,
} from "../src/index.js";
import { MapCacheIndex } from "./helpers.js";

describe("pricing", () => {
  const tariff = resolveTariff({ inputPerMillion: 3, outputPerMillion: 15 });

  it("has the default multipliers and floor", () => {
    expect(tariff).toEqual({
      inputPerMillion: 3,
      outputPerMillion: 15,
      writeMultipliers: { "5m": 1.25, "1h": 2, "24h": 2.5 },
      readMultiplier: 0.1,
      minPrefixTokens: 1024,
    });
  });

  it("2,000 read, 500 written at 1h, 300 uncached, 100 completion at $3/$15 per million", () => {
    const price = priceUsage(tariff, {
      promptTokens: 2800,
      completionTokens: 100,
      cacheReadTokens: 2000,
      cacheCreationTokens: { "5m": 0, "1h": 500, "24h": 0 },
    });
    // By hand: uncached 300 x $3/M = $0.0009; read 2,000 x $3/M x 0.1 = $0.0006;
    // write 500 x $3/M x 2.0 = $0.003; output 100 x $15/M = $0.0015; total $0.006.
    expect(price.uncachedTokens).toBe(300);
    expect(price.uncachedUsd).toBeCloseTo(0.0009, 12);
    expect(price.cacheReadUsd).toBeCloseTo(0.0006, 12);
    expect(price.cacheCreationUsd["1h"]).toBeCloseTo(0.003, 12);
    expect(price.cacheCreationUsd["5m"]).toBe(0);
    expect(price.outputUsd).toBeCloseTo(0.0015, 12);
    expect(price.totalUsd).toBeCloseTo(0.006, 12);
  });

  it("every tier uses its own write multiplier", () => {
    const price = priceUsage(tariff, {
      promptTokens: 3_000_000,
      completionTokens: 0,
      cacheReadTokens: 0,
      cacheCreationTokens: { "5m": 1_000_000, "1h": 1_000_000, "24h": 1_000_000 },
    });
    expect(price.cacheCreationUsd).toEqual({ "5m": 3.75, "1h": 6, "24h": 7.5 });
    expect(price.totalUsd).toBeCloseTo(17.25, 9);
  });

  it("uncached never goes below zero", () => {
    const price = priceUsage(tariff, {
      promptTokens: 100,
      completionTokens: 0,
      cacheReadTokens: 200,
      cacheCreationTokens: { "5m": 0, "1h": 0, "24h": 0 },
    });
    expect(price.uncachedTokens).toBe(0);
    expect(price.uncachedUsd).toBe(0);
  });

  it("custom multipliers override the defaults per field", () => {
    const custom = resolveTariff({
      inputPerMillion: 1,
      outputPerMillion: 2,
      writeMultipliers: { "1h": 3 },
      readMultiplier: 0.5,
      minPrefixTokens: 2048,
    });
    expect(custom.writeMultipliers).toEqual({ "5m": 1.25, "1h": 3, "24h": 2.5 });
    expect(custom.readMultiplier).toBe(0.5);
    expect(custom.minPrefixTokens).toBe(2048);
  });

  it("an invalid tariff is rejected at construction, naming the field", () => {
    expect(
      () =>
        new PrefixCache({
          index: new MapCacheIndex(),
          tariffs: { m: { inputPerMillion: -1, outputPerMillion: 1 } },
        }),
    ).toThrow(InvalidPrefixCacheOptionsError);
    expect(() => resolveTariff({ inputPerMillion: 1, outputPerMillion: Number.NaN }, "m")).toThrow(
      /m\.outputPerMillion/,
    );
  });
});
