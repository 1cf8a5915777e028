import { createHash, type Hash } from "node:crypto";
import { sha256 } from "../hashing/sha256.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";

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
 * form of the body without its delivery fields (object keys sorted at every
 * level, so key order and whitespace do not matter). The canonical form is
 * compact JSON, except that a long well-formed string is written as
 * `s<length>:<text>` and hashed as it is, with no escaping and no copy into
 * one big string (a prompt of megabytes costs a fraction of parsing it).
 */
export function responseCacheKey(input: CacheKeyInput): string {
  const out = new CanonicalHash(
    `${input.api}\u0000${input.candidates.join("\u0001")}\u0000${input.anthropicVersion ?? ""}\u0000${input.anthropicBeta ?? ""}\u0000{`,
  );
  const body = input.body;
  const keys = Object.keys(body).sort();
  let first = true;
  for (const key of keys) {
    const value = body[key];
    if (value === undefined || DELIVERY_FIELDS.has(key)) continue;
    if (!first) out.text += ",";
    out.string(key);
    out.text += ":";
    canonical(value, out);
    first = false;
  }
  out.text += "}";
  return `${input.orgId}:${out.digest()}`;
}

/** Strings at least this long are hashed apart from the text around them. */
const LONG_STRING = 4096;

/**
 * The canonical text, hashed as it is written: short pieces gather in
 * `text`; a long string goes to the hash directly after them. Both forms
 * of a string (`"…"` and `s<length>:…`) are unambiguous, so distinct bodies
 * never share a canonical form.
 */
class CanonicalHash {
  private hash: Hash | undefined;

  constructor(public text: string) {}

  string(value: string): void {
    // A lone surrogate has no UTF-8 form (it would hash as U+FFFD): such strings stay JSON-escaped.
    if (value.length < LONG_STRING || !(value as WellFormed).isWellFormed()) {
      this.text += JSON.stringify(value);
      return;
    }
    this.hash ??= createHash("sha256");
    this.hash.update(`${this.text}s${value.length}:`);
    this.hash.update(value);
    this.text = "";
  }

  digest(): string {
    if (this.hash === undefined) return sha256(this.text, "base64url");
    return this.hash.update(this.text).digest("base64url");
  }
}

/** `String.prototype.isWellFormed` (ES2024; in every Node this package supports). */
type WellFormed = string & { isWellFormed(): boolean };

/** Writes the value's canonical form (bodies are depth-checked when parsed). */
function canonical(value: unknown, out: CanonicalHash): void {
  if (typeof value === "string") {
    out.string(value);
    return;
  }
  if (value === null || typeof value !== "object") {
    out.text += JSON.stringify(value) ?? "null";
    return;
  }
  if (Array.isArray(value)) {
    out.text += "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.text += ",";
      canonical(value[i], out);
    }
    out.text += "]";
    return;
  }
  const record = value as Record<string, unknown>;
  out.text += "{";
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    if (!first) out.text += ",";
    out.string(key);
    out.text += ":";
    canonical(member, out);
    first = false;
  }
  out.text += "}";
}
