import { TTL_TIER_MS, type TtlTier } from "@switchyard/core";
import {
  AutomaticCacheControlConflictError,
  AutomaticCacheControlNoSlotError,
  CacheTtlOrderError,
  TooManyCacheBreakpointsError,
} from "./errors.js";
import { type MarkerOptions, parseMarker } from "./markers.js";
import type { ParsedRequest } from "./parse-request.js";

/** At most this many breakpoints per request, the automatic one included. */
const MAX_BREAKPOINTS = 4;

/** A cache breakpoint: the prefix up to and including block `blockIndex`. */
export interface Breakpoint {
  readonly blockIndex: number;
  readonly tier: TtlTier;
  /** The marker's place (`cache_control` for the automatic one). */
  readonly location: string;
  /** Set by the top-level marker. */
  readonly automatic: boolean;
}

/**
 * Validates every marker and returns the breakpoints in block order. Throws
 * the first problem found, checked in this order: each marker's grammar (in
 * block order, then the top-level marker), more than 4 explicit markers, the
 * automatic marker (conflict, no slot), longer TTL after shorter.
 */
export function resolveBreakpoints(parsed: ParsedRequest, options: MarkerOptions): Breakpoint[] {
  const breakpoints: Breakpoint[] = [];
  parsed.blocks.forEach((block, blockIndex) => {
    if (!block.hasMarker) return;
    const tier = parseMarker(block.marker, block.location, options);
    if (tier !== null) {
      breakpoints.push({ blockIndex, tier, location: block.location, automatic: false });
    }
  });
  const automaticTier = parsed.hasTopLevelMarker
    ? parseMarker(parsed.topLevelMarker, "cache_control", options)
    : null;

  if (breakpoints.length > MAX_BREAKPOINTS) {
    const extra = breakpoints[MAX_BREAKPOINTS] as Breakpoint;
    const count = breakpoints.length + (automaticTier === null ? 0 : 1);
    throw new TooManyCacheBreakpointsError(extra.location, count, MAX_BREAKPOINTS);
  }

  const lastIndex = parsed.blocks.length - 1;
  if (automaticTier !== null && lastIndex >= 0) {
    const onLast = breakpoints.at(-1);
    if (onLast !== undefined && onLast.blockIndex === lastIndex) {
      if (onLast.tier !== automaticTier) {
        throw new AutomaticCacheControlConflictError(onLast.location, automaticTier, onLast.tier);
      }
    } else {
      if (breakpoints.length >= MAX_BREAKPOINTS) {
        throw new AutomaticCacheControlNoSlotError(MAX_BREAKPOINTS);
      }
      breakpoints.push({
        blockIndex: lastIndex,
        tier: automaticTier,
        location: "cache_control",
        automatic: true,
      });
    }
  }

  for (let i = 1; i < breakpoints.length; i++) {
    const earlier = breakpoints[i - 1] as Breakpoint;
    const current = breakpoints[i] as Breakpoint;
    if (TTL_TIER_MS[current.tier] > TTL_TIER_MS[earlier.tier]) {
      throw new CacheTtlOrderError(current.location, current.tier, earlier.location, earlier.tier);
    }
  }
  return breakpoints;
}
