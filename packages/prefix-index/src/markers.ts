import { isTtlTier, TTL_TIERS, type TtlTier } from "@switchyard/core";
import {
  DisabledCacheTtlError,
  InvalidCacheTtlError,
  MalformedCacheControlError,
  UnsupportedCacheControlTypeError,
} from "./errors.js";
import { isJsonObject } from "./types.js";

/** Which TTL tiers requests may use, and the tier of a marker without `ttl`. */
export interface MarkerOptions {
  /** Tiers a marker may name. Default `["5m", "1h"]`; `24h` is opt-in. */
  readonly enabledTtlTiers: readonly TtlTier[];
  /** Tier of a marker without `ttl`. Default `"5m"`; must be enabled. */
  readonly defaultTtl: TtlTier;
}

export const DEFAULT_MARKER_OPTIONS: MarkerOptions = Object.freeze({
  enabledTtlTiers: Object.freeze(["5m", "1h"] as TtlTier[]),
  defaultTtl: "5m",
});

const ALLOWED_KEYS = new Set(["type", "ttl"]);

/**
 * Reads one `cache_control` value: `undefined` (absent) and `null` mean no
 * marker; otherwise it must be `{ type: "ephemeral", ttl?: "5m" | "1h" | "24h" }`
 * with an enabled tier. `ttl: null` counts as absent (the default tier).
 * Throws an `InvalidCacheControlError` subclass naming `location`.
 */
export function parseMarker(
  value: unknown,
  location: string,
  options: MarkerOptions,
): TtlTier | null {
  if (value === undefined || value === null) return null;
  if (!isJsonObject(value)) {
    return fail(
      new MalformedCacheControlError(
        location,
        `cache_control must be an object like {"type":"ephemeral"} or null, got ${Array.isArray(value) ? "an array" : typeof value}`,
      ),
    );
  }
  for (const key of Object.keys(value)) {
    if (!ALLOWED_KEYS.has(key)) {
      return fail(
        new MalformedCacheControlError(
          location,
          `cache_control has an unknown key "${key}"; only "type" and "ttl" are allowed`,
        ),
      );
    }
  }
  if (!Object.hasOwn(value, "type")) {
    return fail(
      new MalformedCacheControlError(location, `cache_control.type is required; use "ephemeral"`),
    );
  }
  if (value.type !== "ephemeral") {
    return fail(new UnsupportedCacheControlTypeError(location, value.type));
  }
  const ttl = value.ttl;
  if (ttl === undefined || ttl === null) return options.defaultTtl;
  if (!isTtlTier(ttl)) return fail(new InvalidCacheTtlError(location, ttl));
  if (!options.enabledTtlTiers.includes(ttl)) {
    const enabled = TTL_TIERS.filter((tier) => options.enabledTtlTiers.includes(tier));
    return fail(new DisabledCacheTtlError(location, ttl, enabled));
  }
  return ttl;
}

function fail(error: Error): never {
  throw error;
}
