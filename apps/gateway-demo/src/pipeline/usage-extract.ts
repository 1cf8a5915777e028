import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";

const USAGE = Buffer.from('"usage"');
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COLON = 0x3a;

/** Where a JSON response's top-level `usage` object is, and its value. */
export interface UsageSpan {
  /** Offset of its `{`. */
  readonly start: number;
  /** Offset just after its `}`. */
  readonly end: number;
  readonly usage: JsonObject;
}

/**
 * The top-level `usage` object of a JSON response without parsing the whole
 * body: both APIs put `usage` after the content, so the last unescaped
 * `"usage"` key is found from the end, its object is parsed, and the rest of
 * the body must close the top-level object (so it was not a nested `usage`).
 * `undefined` when that does not work out (or the object lacks the API's
 * input count); the caller then parses the whole body.
 */
export function usageSpan(body: Buffer, api: ApiKind): UsageSpan | undefined {
  const at = body.lastIndexOf(USAGE);
  if (at <= 0 || body[at - 1] === BACKSLASH) return undefined;
  let i = skipSpace(body, at + USAGE.length);
  if (body[i] !== COLON) return undefined;
  i = skipSpace(body, i + 1);
  if (body[i] !== OPEN) return undefined;
  const start = i;
  const end = closing(body, start, 0);
  if (end === -1 || !closesTopLevel(body, end)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8", start, end));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  // Sanity: the usage object of the client's API.
  const input = (value as JsonObject)[api === "openai" ? "prompt_tokens" : "input_tokens"];
  return typeof input === "number" ? { start, end, usage: value as JsonObject } : undefined;
}

/** Just the usage object (see {@link usageSpan}). */
export function extractUsage(body: Buffer, api: ApiKind): JsonObject | undefined {
  return usageSpan(body, api)?.usage;
}

/** The body with the bytes of `span` replaced by `usage` (everything else byte for byte). */
export function spliceUsage(body: Buffer, span: UsageSpan, usage: JsonObject): Buffer {
  return Buffer.concat([
    body.subarray(0, span.start),
    Buffer.from(JSON.stringify(usage)),
    body.subarray(span.end),
  ]);
}

/**
 * From the `{` or `[` at `from` (nesting `depth` before it), the offset just
 * after the bracket that brings the nesting back to `depth`; -1 if none.
 * Strings are skipped with their escapes.
 */
function closing(body: Buffer, from: number, depth: number): number {
  let level = depth;
  for (let i = from; i < body.length; i++) {
    const byte = body[i];
    if (byte === QUOTE) {
      for (i++; i < body.length && body[i] !== QUOTE; i++) if (body[i] === BACKSLASH) i++;
    } else if (byte === OPEN || byte === OPEN_ARRAY) level++;
    else if ((byte === CLOSE || byte === CLOSE_ARRAY) && --level === depth) return i + 1;
  }
  return -1;
}

/** Whether the bytes after a member at nesting 1 close the top-level object and end there. */
function closesTopLevel(body: Buffer, from: number): boolean {
  let level = 1;
  let i = from;
  for (; i < body.length; i++) {
    const byte = body[i];
    if (byte === QUOTE) {
      for (i++; i < body.length && body[i] !== QUOTE; i++) if (body[i] === BACKSLASH) i++;
    } else if (byte === OPEN || byte === OPEN_ARRAY) level++;
    else if ((byte === CLOSE || byte === CLOSE_ARRAY) && --level === 0) break;
  }
  return level === 0 && skipSpace(body, i + 1) === body.length;
}

function skipSpace(body: Buffer, i: number): number {
  while (
    i < body.length &&
    (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)
  )
    i++;
  return i;
}
