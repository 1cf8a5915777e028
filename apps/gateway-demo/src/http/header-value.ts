import type { IncomingMessage } from "node:http";

/*
 * Route names in headers. Writes only accept names a header can carry once
 * encoded, but routes stored by older versions (or the reference) may hold
 * any string, and `res.setHeader` throws on a character outside Latin-1 or a
 * control character: after the upstream answered and billed. So a value that
 * is not printable ASCII is percent-encoded (UTF-8, `encodeURIComponent`),
 * and the request header that forces a route accepts the same encoding.
 */

/** Printable ASCII (space inside only: HTTP trims a value's edges). */
const PLAIN = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const LONE_SURROGATE = /\p{Cs}/gu;

/** The value as is when it is printable ASCII, else percent-encoded UTF-8; never throws. */
export function headerValue(text: string): string {
  if (PLAIN.test(text)) return text;
  // encodeURIComponent throws on a lone surrogate; U+FFFD stands in for it.
  return encodeURIComponent(text.replace(LONE_SURROGATE, "\uFFFD"));
}

/**
 * The route a forced-routing header names: the raw value when a route has
 * that name, else the value percent-decoded when it decodes to a name that
 * {@link headerValue} would have encoded and a route has it. Otherwise the
 * raw value (which then answers `unknown_route` as before).
 */
export function forcedRouteName(
  raw: string | undefined,
  engine: { findByName(name: string): unknown } | undefined,
): string | undefined {
  const exists = (name: string) => engine?.findByName(name) !== undefined;
  if (raw === undefined || !raw.includes("%") || exists(raw)) return raw;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return raw;
  }
  return decoded !== headerValue(decoded) && exists(decoded) ? decoded : raw;
}

/** A single-valued request header (arrays, i.e. repeated headers, are ignored). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}
