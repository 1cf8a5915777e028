import { sha256 } from "../hashing/sha256.js";
import type { ApiKind } from "../pipeline/api-kind.js";
import type { JsonObject } from "../pipeline/parse-json.js";

/**
 * Top-level fields that never change the answer: how it is delivered
 * (`stream`, `stream_options`: a streamed request is served from a stored
 * non-streamed answer) and bookkeeping (`user`, `metadata`, `store`,
 * `service_tier`). Every other field is part of the key, `seed` included.
 */
const DELIVERY_FIELDS = new Set([
  "stream",
  "stream_options",
  "user",
  "metadata",
  "store",
  "service_tier",
]);

export interface CacheKeyInput {
  readonly orgId: string;
  readonly api: ApiKind;
  /** The models the request will be dispatched to, in order (after routing). */
  readonly candidates: readonly string[];
  readonly anthropicVersion: string | undefined;
  readonly anthropicBeta: string | undefined;
  readonly body: JsonObject;
}

/**
 * `<org id>:<sha256>`: tenant-scoped (the org id is part of the key itself,
 * so no two orgs can ever share an entry), the hash over the client's API,
 * the routed candidates, the Anthropic version headers and the canonical
 * JSON of the body without its delivery fields (object keys sorted at every
 * level, so key order and whitespace do not matter).
 */
export function responseCacheKey(input: CacheKeyInput): string {
  let text = `${input.api}\u0000${input.candidates.join("\u0001")}\u0000${input.anthropicVersion ?? ""}\u0000${input.anthropicBeta ?? ""}\u0000{`;
  const body = input.body;
  const keys = Object.keys(body).sort();
  let first = true;
  for (const key of keys) {
    const value = body[key];
    if (value === undefined || DELIVERY_FIELDS.has(key)) continue;
    text += `${first ? "" : ","}${JSON.stringify(key)}:${canonical(value)}`;
    first = false;
  }
  text += "}";
  return `${input.orgId}:${sha256(text, "base64url")}`;
}

/** Compact JSON with object keys sorted recursively (bodies are depth-checked when parsed). */
function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += `${i > 0 ? "," : ""}${canonical(value[i])}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = "{";
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${canonical(member)}`;
    first = false;
  }
  return `${out}}`;
}
