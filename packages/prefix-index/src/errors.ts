import { SwitchyardError } from "@switchyard/core";

/**
 * A `cache_control` marker is invalid. The gateway answers it with a
 * synchronous 400 before anything is forwarded (see
 * `invalidCacheControlResponse`). Every subclass has its own stable `code`;
 * `instanceof InvalidCacheControlError` catches them all.
 */
export class InvalidCacheControlError extends SwitchyardError {
  static readonly code: string = "E_INVALID_CACHE_CONTROL";
  /** Where the marker is: `messages[3].content[1]`, `tools[2]`, `system[0]`, `cache_control` (top level). */
  readonly location: string;
  /** The request parameter at fault, always `cache_control`. */
  readonly param = "cache_control";

  constructor(code: string, location: string, problem: string) {
    super(code, `${location}: ${problem}`);
    this.location = location;
  }
}

/** The marker is not an object, lacks `type`, or has keys other than `type` and `ttl`. */
export class MalformedCacheControlError extends InvalidCacheControlError {
  static override readonly code = "E_CACHE_CONTROL_MALFORMED";

  constructor(location: string, problem: string) {
    super(MalformedCacheControlError.code, location, problem);
  }
}

/** `type` is something other than `"ephemeral"`. */
export class UnsupportedCacheControlTypeError extends InvalidCacheControlError {
  static override readonly code = "E_CACHE_CONTROL_UNSUPPORTED_TYPE";

  constructor(location: string, type: unknown) {
    super(
      UnsupportedCacheControlTypeError.code,
      location,
      `cache_control.type ${describe(type)} is not supported; use "ephemeral"`,
    );
  }
}

/** `ttl` is not one of `5m`, `1h`, `24h`. */
export class InvalidCacheTtlError extends InvalidCacheControlError {
  static override readonly code = "E_CACHE_CONTROL_INVALID_TTL";

  constructor(location: string, ttl: unknown) {
    super(
      InvalidCacheTtlError.code,
      location,
      `cache_control.ttl ${describe(ttl)} is not valid; use "5m", "1h" or "24h", or leave it out for the default`,
    );
  }
}

/** `ttl` is a known tier that this deployment has not enabled. */
export class DisabledCacheTtlError extends InvalidCacheControlError {
  static override readonly code = "E_CACHE_CONTROL_TTL_DISABLED";

  constructor(location: string, ttl: string, enabled: readonly string[]) {
    super(
      DisabledCacheTtlError.code,
      location,
      `cache_control.ttl "${ttl}" is not enabled; enabled: ${enabled.map((t) => `"${t}"`).join(", ")}`,
    );
  }
}

/** More than 4 breakpoints, counted over every location (the automatic marker included). */
export class TooManyCacheBreakpointsError extends InvalidCacheControlError {
  static override readonly code = "E_CACHE_CONTROL_TOO_MANY_BREAKPOINTS";

  constructor(location: string, count: number, max: number) {
    super(
      TooManyCacheBreakpointsError.code,
      location,
      `${count} cache_control breakpoints; at most ${max} are allowed (the top-level automatic marker uses one); remove this one or an earlier one`,
    );
  }
}

/** The top-level marker's tier differs from the marker already on the last block. */
export class AutomaticCacheControlConflictError extends InvalidCacheControlError {
  static override readonly code = "E_CACHE_CONTROL_AUTOMATIC_CONFLICT";

  constructor(lastBlock: string, automaticTier: string, blockTier: string) {
    super(
      AutomaticCacheControlConflictError.code,
      "cache_control",
      `the top-level marker (ttl "${automaticTier}") conflicts with the marker at ${lastBlock} (ttl "${blockTier}"), the last block; give them the same ttl or drop one`,
    );
  }
}

/** The top-level marker needs a slot but 4 explicit markers already use them all. */
export class AutomaticCacheControlNoSlotError extends InvalidCacheControlError {
  static override readonly code = "E_CACHE_CONTROL_AUTOMATIC_NO_SLOT";

  constructor(max: number) {
    super(
      AutomaticCacheControlNoSlotError.code,
      "cache_control",
      `the top-level marker needs a breakpoint slot but ${max} explicit markers already use all of them; remove one or the top-level marker`,
    );
  }
}

/** A breakpoint has a longer ttl than an earlier one (longer TTLs must come first). */
export class CacheTtlOrderError extends InvalidCacheControlError {
  static override readonly code = "E_CACHE_CONTROL_TTL_ORDER";

  constructor(location: string, tier: string, earlierLocation: string, earlierTier: string) {
    super(
      CacheTtlOrderError.code,
      location,
      `a "${tier}" breakpoint may not follow the "${earlierTier}" breakpoint at ${earlierLocation}; longer TTLs must come before shorter ones`,
    );
  }
}

/** A `PrefixCache` option or a tariff is out of range (named in the message). */
export class InvalidPrefixCacheOptionsError extends SwitchyardError {
  static readonly code = "E_INVALID_PREFIX_CACHE_OPTIONS";

  constructor(option: string, problem: string) {
    super(InvalidPrefixCacheOptionsError.code, `PrefixCache option ${option} ${problem}`);
  }
}

/**
 * An SSE frame outgrew `SseFrameSplitter`'s `maxFrameBytes`. The stream
 * cannot be read further: the caller ends it as broken.
 */
export class SseFrameTooLargeError extends SwitchyardError {
  static readonly code = "E_SSE_FRAME_TOO_LARGE";
  readonly maxFrameBytes: number;

  constructor(maxFrameBytes: number) {
    super(
      SseFrameTooLargeError.code,
      `an SSE frame larger than ${maxFrameBytes} bytes (SseFrameSplitter maxFrameBytes)`,
    );
    this.maxFrameBytes = maxFrameBytes;
  }
}

/** All error classes of this package by their stable code. */
export const errors = {
  E_INVALID_CACHE_CONTROL: InvalidCacheControlError,
  [MalformedCacheControlError.code]: MalformedCacheControlError,
  [UnsupportedCacheControlTypeError.code]: UnsupportedCacheControlTypeError,
  [InvalidCacheTtlError.code]: InvalidCacheTtlError,
  [DisabledCacheTtlError.code]: DisabledCacheTtlError,
  [TooManyCacheBreakpointsError.code]: TooManyCacheBreakpointsError,
  [AutomaticCacheControlConflictError.code]: AutomaticCacheControlConflictError,
  [AutomaticCacheControlNoSlotError.code]: AutomaticCacheControlNoSlotError,
  [CacheTtlOrderError.code]: CacheTtlOrderError,
  [InvalidPrefixCacheOptionsError.code]: InvalidPrefixCacheOptionsError,
  [SseFrameTooLargeError.code]: SseFrameTooLargeError,
} as const;

function describe(value: unknown): string {
  if (value === undefined) return "(missing)";
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}
