/**
 * Compact JSON with object keys sorted recursively (by UTF-16 code units, as
 * `Array.prototype.sort` orders strings). `omitKey` drops one key of the
 * top-level object only: the block's own `cache_control`; a `cache_control`
 * deeper down (e.g. inside a tool's JSON schema) is data and stays.
 * Values follow `JSON.stringify`: `undefined` members are skipped, `undefined`
 * array items and non-finite numbers become `null`.
 */
export function canonicalJson(value: unknown, omitKey?: string): string {
  return write(value, omitKey);
}

function write(value: unknown, omitKey: string | undefined): string {
  if (value === null || typeof value !== "object") {
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      const item: unknown = value[i];
      out += item === undefined || typeof item === "function" ? "null" : write(item, undefined);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    if (key === omitKey) continue;
    const member = record[key];
    if (member === undefined || typeof member === "function") continue;
    if (!first) out += ",";
    first = false;
    out += `${JSON.stringify(key)}:${write(member, undefined)}`;
  }
  return `${out}}`;
}
