import { type CacheIndex, isTtlTier, TTL_TIERS, type TtlTier } from "@switchyard/core";
import { InvalidPrefixCacheOptionsError } from "./errors.js";
import type { MarkerOptions } from "./markers.js";
import { type CacheTariff, type CacheTariffInput, resolveTariff } from "./pricing.js";
import { createGptTokenizer, type Tokenizer } from "./tokenizer.js";

/** Options of `PrefixCache`, validated once at construction. */
export interface PrefixCacheOptions {
  /** Where prefixes are stored (`MemoryCacheIndex`, `PostgresCacheIndex`, ...). */
  readonly index: CacheIndex;
  /** Cache tariffs by virtual model. A model without one is not cached: its usage is only scrubbed. */
  readonly tariffs: Readonly<Record<string, CacheTariffInput>>;
  /** Counts tokens after the read. Default: `createGptTokenizer()` (o200k_base). */
  readonly tokenizer?: Tokenizer;
  /** Tiers markers may use. Default `["5m", "1h"]`; add `"24h"` to opt in. */
  readonly enabledTtlTiers?: readonly TtlTier[];
  /** Tier of a marker without `ttl`. Default `"5m"`. */
  readonly defaultTtl?: TtlTier;
  /** A lookup slower than this counts as "no cache". Default 1,000 ms. */
  readonly lookupTimeoutMs?: number;
  /** `commit` stops waiting for the index after this long. Default 2,000 ms. */
  readonly commitDeadlineMs?: number;
  /** Clock in ms since the epoch, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

export interface ResolvedOptions {
  readonly index: CacheIndex;
  readonly tariffs: ReadonlyMap<string, CacheTariff>;
  readonly tokenizer: Tokenizer;
  readonly markers: MarkerOptions;
  readonly lookupTimeoutMs: number;
  readonly commitDeadlineMs: number;
  readonly now: () => number;
}

export function resolveOptions(options: PrefixCacheOptions): ResolvedOptions {
  const { index } = options;
  if (
    typeof index?.lookup !== "function" ||
    typeof index.write !== "function" ||
    typeof index.refresh !== "function"
  ) {
    throw new InvalidPrefixCacheOptionsError(
      "index",
      "must be a CacheIndex (lookup, write, refresh)",
    );
  }
  if (typeof options.tariffs !== "object" || options.tariffs === null) {
    throw new InvalidPrefixCacheOptionsError("tariffs", "must be an object keyed by virtual model");
  }
  const tariffs = new Map<string, CacheTariff>();
  for (const [model, tariff] of Object.entries(options.tariffs)) {
    tariffs.set(model, resolveTariff(tariff, `tariffs["${model}"]`));
  }
  const tokenizer = options.tokenizer ?? createGptTokenizer();
  if (typeof tokenizer.version !== "string" || tokenizer.version === "") {
    throw new InvalidPrefixCacheOptionsError("tokenizer.version", "must be a non-empty string");
  }
  if (typeof tokenizer.countCumulative !== "function") {
    throw new InvalidPrefixCacheOptionsError("tokenizer.countCumulative", "must be a function");
  }
  const enabled = options.enabledTtlTiers ?? ["5m", "1h"];
  if (enabled.length === 0 || !enabled.every(isTtlTier)) {
    throw new InvalidPrefixCacheOptionsError(
      "enabledTtlTiers",
      `must list one or more of ${TTL_TIERS.join(", ")}`,
    );
  }
  const defaultTtl = options.defaultTtl ?? "5m";
  if (!enabled.includes(defaultTtl)) {
    throw new InvalidPrefixCacheOptionsError(
      "defaultTtl",
      `"${String(defaultTtl)}" must be one of enabledTtlTiers (${enabled.join(", ")})`,
    );
  }
  return {
    index,
    tariffs,
    tokenizer,
    markers: { enabledTtlTiers: [...enabled], defaultTtl },
    lookupTimeoutMs: duration("lookupTimeoutMs", options.lookupTimeoutMs ?? 1_000),
    commitDeadlineMs: duration("commitDeadlineMs", options.commitDeadlineMs ?? 2_000),
    now: options.now ?? Date.now,
  };
}

function duration(name: string, value: number): number {
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) {
    throw new InvalidPrefixCacheOptionsError(
      name,
      `must be a number of ms > 0, got ${String(value)}`,
    );
  }
  return value;
}
