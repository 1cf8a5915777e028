import type { TtlTier } from "@switchyard/core";
import { type CacheSplit, sumTiers, ZERO_TIERS } from "./types.js";

/** Which part of a split the gap cap cut: nothing, the read, or everything. */
export type GapCap = "none" | "read" | "all";

/** A split that never exceeds what the upstream billed. */
export interface CappedSplit extends CacheSplit {
  readonly gapCap: GapCap;
}

/**
 * The gap cap: the split can never exceed the upstream's prompt tokens. If the
 * creations alone exceed them, everything is zero; else if read + creations
 * exceed them, the read shrinks to `prompt - creations`. Billing uses exactly
 * these numbers, the ones the client sees.
 */
export function applyGapCap(split: CacheSplit, promptTokens: number): CappedSplit {
  const prompt = Math.max(0, promptTokens);
  const creations = sumTiers(split.creation);
  if (creations > prompt) return { read: 0, creation: ZERO_TIERS, gapCap: "all" };
  if (split.read + creations > prompt) {
    return { read: prompt - creations, creation: copyTiers(split.creation), gapCap: "read" };
  }
  return { read: split.read, creation: copyTiers(split.creation), gapCap: "none" };
}

function copyTiers(counts: Readonly<Record<TtlTier, number>>): Record<TtlTier, number> {
  return { "5m": counts["5m"], "1h": counts["1h"], "24h": counts["24h"] };
}
