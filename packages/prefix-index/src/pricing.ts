import { TTL_TIERS, type TtlTier } from "@switchyard/core";
import { InvalidPrefixCacheOptionsError } from "./errors.js";
import { sumTiers, type TierCounts } from "./types.js";

/** A model's cache tariff as configured; omitted fields take the defaults. */
export interface CacheTariffInput {
  /** USD per million input tokens. */
  readonly inputPerMillion: number;
  /** USD per million output tokens. */
  readonly outputPerMillion: number;
  /** Cache-write price as a multiple of the input price, per tier. Default 5m 1.25, 1h 2.0, 24h 2.5. */
  readonly writeMultipliers?: Partial<Record<TtlTier, number>>;
  /** Cache-read price as a multiple of the input price, flat across tiers. Default 0.1. */
  readonly readMultiplier?: number;
  /** Below this many tokens at the deepest breakpoint nothing is cached. Default 1024. */
  readonly minPrefixTokens?: number;
}

/** A complete, validated tariff. */
export interface CacheTariff {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
  readonly writeMultipliers: TierCounts;
  readonly readMultiplier: number;
  readonly minPrefixTokens: number;
}

export const DEFAULT_WRITE_MULTIPLIERS: TierCounts = Object.freeze({
  "5m": 1.25,
  "1h": 2.0,
  "24h": 2.5,
});
export const DEFAULT_READ_MULTIPLIER = 0.1;
export const DEFAULT_MIN_PREFIX_TOKENS = 1024;

/** Fills in the defaults and validates; throws `InvalidPrefixCacheOptionsError` naming the field. */
export function resolveTariff(input: CacheTariffInput, name = "tariff"): CacheTariff {
  const price = (field: string, value: unknown): number => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new InvalidPrefixCacheOptionsError(
        `${name}.${field}`,
        `must be a finite number >= 0, got ${String(value)}`,
      );
    }
    return value;
  };
  const writeMultipliers = {} as Record<TtlTier, number>;
  for (const tier of TTL_TIERS) {
    writeMultipliers[tier] = price(
      `writeMultipliers.${tier}`,
      input.writeMultipliers?.[tier] ?? DEFAULT_WRITE_MULTIPLIERS[tier],
    );
  }
  const minPrefixTokens = price(
    "minPrefixTokens",
    input.minPrefixTokens ?? DEFAULT_MIN_PREFIX_TOKENS,
  );
  if (!Number.isInteger(minPrefixTokens)) {
    throw new InvalidPrefixCacheOptionsError(`${name}.minPrefixTokens`, "must be an integer");
  }
  return {
    inputPerMillion: price("inputPerMillion", input.inputPerMillion),
    outputPerMillion: price("outputPerMillion", input.outputPerMillion),
    writeMultipliers,
    readMultiplier: price("readMultiplier", input.readMultiplier ?? DEFAULT_READ_MULTIPLIER),
    minPrefixTokens,
  };
}

/** The token counts a price is computed from (a `BilledUsage` fits). */
export interface PricedTokens {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheCreationTokens: TierCounts;
}

/** A price in USD, by part. */
export interface PriceBreakdown {
  readonly uncachedTokens: number;
  readonly uncachedUsd: number;
  readonly cacheReadUsd: number;
  readonly cacheCreationUsd: TierCounts;
  readonly outputUsd: number;
  readonly totalUsd: number;
}

/**
 * `uncached = max(0, prompt - read - creations)`;
 * `cost = uncached*in + read*in*read_mult + sum(creation_tier*in*write_mult_tier) + completion*out`,
 * prices per million tokens.
 */
export function priceUsage(tariff: CacheTariff, tokens: PricedTokens): PriceBreakdown {
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  const input = perToken(tariff.inputPerMillion);
  const creation = tokens.cacheCreationTokens;
  const uncachedTokens = Math.max(
    0,
    tokens.promptTokens - tokens.cacheReadTokens - sumTiers(creation),
  );
  const uncachedUsd = uncachedTokens * input;
  const cacheReadUsd = tokens.cacheReadTokens * input * tariff.readMultiplier;
  const cacheCreationUsd = {
    "5m": creation["5m"] * input * tariff.writeMultipliers["5m"],
    "1h": creation["1h"] * input * tariff.writeMultipliers["1h"],
    "24h": creation["24h"] * input * tariff.writeMultipliers["24h"],
  };
  const outputUsd = tokens.completionTokens * perToken(tariff.outputPerMillion);
  return {
    uncachedTokens,
    uncachedUsd,
    cacheReadUsd,
    cacheCreationUsd,
    outputUsd,
    totalUsd: uncachedUsd + cacheReadUsd + sumTiers(cacheCreationUsd) + outputUsd,
  };
}
