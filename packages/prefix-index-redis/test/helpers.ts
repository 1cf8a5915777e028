import { randomBytes, randomUUID } from "node:crypto";
import type { CacheEntry, CacheIndex, CacheMatch, IndexScope, PrefixHash } from "@switchyard/core";

export const scope = (): IndexScope => ({
  principalId: randomUUID(),
  virtualModel: "claude-sonnet",
  tokenizerVersion: "test@1",
});

export const hash = (): PrefixHash => new Uint8Array(randomBytes(32));

export const entry = (
  s: IndexScope,
  prefixHash: PrefixHash,
  count = 1_200,
  inMs = 300_000,
): CacheEntry => ({
  scope: s,
  prefixHash,
  cumulativeTokenCount: count,
  ttlTier: "5m",
  expiresAt: new Date(Date.now() + inMs),
});

/** Wraps a baseline and counts every call to it. */
export function counting(inner: CacheIndex) {
  const calls = { lookup: 0, write: 0, refresh: 0, lookedUpHashes: 0 };
  const index: CacheIndex = {
    lookup: async (s, candidates) => {
      calls.lookup++;
      calls.lookedUpHashes += candidates.length;
      return inner.lookup(s, candidates);
    },
    write: async (e) => {
      calls.write++;
      return inner.write(e);
    },
    refresh: async (s, h, at) => {
      calls.refresh++;
      return inner.refresh(s, h, at);
    },
  };
  return { index, calls };
}

export function hashesOf(matches: readonly CacheMatch[]): string[] {
  return matches.map((m) => Buffer.from(m.prefixHash).toString("hex")).sort();
}

export function hexOf(hashes: readonly PrefixHash[]): string[] {
  return hashes.map((h) => Buffer.from(h).toString("hex")).sort();
}
