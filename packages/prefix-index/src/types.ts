import type { TtlTier } from "@switchyard/core";

/** The two request/response formats: OpenAI Chat Completions and Anthropic Messages. */
export type ApiFormat = "openai" | "anthropic";

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** A token count per TTL tier. */
export type TierCounts = Readonly<Record<TtlTier, number>>;

/** How many input tokens are a cache read, and how many a cache write per tier. */
export interface CacheSplit {
  readonly read: number;
  readonly creation: TierCounts;
}

export const ZERO_TIERS: TierCounts = Object.freeze({ "5m": 0, "1h": 0, "24h": 0 });

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function sumTiers(counts: TierCounts): number {
  return counts["5m"] + counts["1h"] + counts["24h"];
}
