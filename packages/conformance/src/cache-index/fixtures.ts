import { randomBytes, randomUUID } from "node:crypto";
import { type CacheEntry, type CacheMatch, hashHex, type IndexScope } from "@switchyard/core";

/** A scope of its own (random UUID principal, random model), so tests never see each other's entries. */
export function randomScope(overrides: Partial<IndexScope> = {}): IndexScope {
  return {
    principalId: randomUUID(),
    virtualModel: `model-${randomBytes(4).toString("hex")}`,
    tokenizerVersion: "tokenizer@1:test",
    ...overrides,
  };
}

/** 32 random bytes in a plain Uint8Array, like a SHA-256 prefix hash. */
export function randomPrefixHash(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** `now + minutes`, in whole milliseconds. */
export function minutesFromNow(minutes: number, now: number = Date.now()): Date {
  return new Date(Math.round(now + minutes * 60_000));
}

/** A live entry (1,024 tokens, `5m`, expiring in 10 minutes) in the scope, with overrides. */
export function cacheEntry(scope: IndexScope, overrides: Partial<CacheEntry> = {}): CacheEntry {
  return {
    scope,
    prefixHash: randomPrefixHash(),
    cumulativeTokenCount: 1024,
    ttlTier: "5m",
    expiresAt: minutesFromNow(10),
    ...overrides,
  };
}

/** Lower-case hex of a hash's bytes: `@switchyard/core`'s `hashHex`, here beside the other fixtures. */
export { hashHex };

/** A match or entry as plain comparable values, for `toEqual`. */
export interface ComparableMatch {
  readonly prefixHash: string;
  readonly cumulativeTokenCount: number;
  readonly ttlTier: string;
  readonly expiresAt: number;
}

/** Matches (or the entries expected to match) as comparable values, sorted by hash. */
export function comparable(matches: readonly (CacheMatch | CacheEntry)[]): ComparableMatch[] {
  return matches
    .map((m) => ({
      prefixHash: hashHex(m.prefixHash),
      cumulativeTokenCount: m.cumulativeTokenCount,
      ttlTier: m.ttlTier,
      expiresAt: m.expiresAt.getTime(),
    }))
    .sort((a, b) => (a.prefixHash < b.prefixHash ? -1 : a.prefixHash > b.prefixHash ? 1 : 0));
}
