import { jsonStringBytes } from "./json-string-bytes.js";

/** Strings this long are escaped by {@link jsonStringBytes} and handed over as bytes. */
const LONG_STRING = 512;

/** Receives canonical JSON piece by piece: structure as strings, long string values as UTF-8 bytes. */
type JsonSink = (chunk: string | Buffer) => void;

/**
 * Compact JSON with object keys sorted recursively (by UTF-16 code units, as
 * `Array.prototype.sort` orders strings). `omitKey` drops one key of the
 * top-level object only: the block's own `cache_control`; a `cache_control`
 * deeper down (e.g. inside a tool's JSON schema) is data and stays.
 * Values follow `JSON.stringify`: `undefined` members are skipped, `undefined`
 * array items and non-finite numbers become `null`.
 */
export function canonicalJson(value: unknown, omitKey?: string): string {
  let out = "";
  writeCanonicalJson(value, omitKey, (chunk) => {
    out += typeof chunk === "string" ? chunk : chunk.toString("utf8");
  });
  return out;
}

/** The same canonical JSON, streamed into `sink` without building one large string. */
export function writeCanonicalJson(
  value: unknown,
  omitKey: string | undefined,
  sink: JsonSink,
): void {
  if (typeof value === "string" && value.length >= LONG_STRING) {
    sink(jsonStringBytes(value));
    return;
  }
  if (value === null || typeof value !== "object") {
    sink(JSON.stringify(value) ?? "null");
    return;
  }
  if (Array.isArray(value)) {
    sink("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) sink(",");
      const item: unknown = value[i];
      if (item === undefined || typeof item === "function") sink("null");
      else writeCanonicalJson(item, undefined, sink);
    }
    sink("]");
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let first = true;
  sink("{");
  for (const key of keys) {
    if (key === omitKey) continue;
    const member = record[key];
    if (member === undefined || typeof member === "function") continue;
    sink(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
    first = false;
    writeCanonicalJson(member, undefined, sink);
  }
  sink("}");
}
