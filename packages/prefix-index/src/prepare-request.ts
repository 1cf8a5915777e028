import { type Breakpoint, resolveBreakpoints } from "./breakpoints.js";
import type { MarkerOptions } from "./markers.js";
import { type PromptBlock, parseRequest } from "./parse-request.js";
import { stripMarkers } from "./strip.js";
import type { ApiFormat } from "./types.js";

/** A request ready to forward and to classify. */
export interface PreparedRequest<T = unknown> {
  readonly format: ApiFormat;
  /** The ordered block list (hashes are computed during classification). */
  readonly blocks: readonly PromptBlock[];
  /** Validated breakpoints in block order (the automatic one included). */
  readonly breakpoints: readonly Breakpoint[];
  /** The body to send upstream: markers stripped, `include_usage` forced on OpenAI streams. */
  readonly forwardBody: T;
  /** The request asked for a stream. */
  readonly stream: boolean;
}

/**
 * Parse, validate and strip in one synchronous step, before anything is
 * forwarded. Throws an `InvalidCacheControlError` subclass for any invalid
 * marker (answer it with `invalidCacheControlResponse`).
 */
export function prepareRequest<T>(
  body: T,
  format: ApiFormat,
  options: MarkerOptions,
): PreparedRequest<T> {
  const parsed = parseRequest(body, format);
  const breakpoints = resolveBreakpoints(parsed, options);
  return {
    format,
    blocks: parsed.blocks,
    breakpoints,
    forwardBody: stripMarkers(body, parsed),
    stream: parsed.stream,
  };
}
