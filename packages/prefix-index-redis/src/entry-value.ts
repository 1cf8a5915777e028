import { type CacheMatch, isTtlTier, type PrefixHash } from "@switchyard/core";

/** The Redis value of an entry: "count|tier|expiresAtMs". */
export function entryValue(
  e: Pick<CacheMatch, "cumulativeTokenCount" | "ttlTier" | "expiresAt">,
): string {
  return `${e.cumulativeTokenCount}|${e.ttlTier}|${e.expiresAt.getTime()}`;
}

/** Parses a lookup answer "count|tier|expiresAtMs" into a match, or undefined when malformed. */
export function parseEntry(answer: string, prefixHash: PrefixHash): CacheMatch | undefined {
  const [count, tier, expires] = answer.split("|");
  const cumulativeTokenCount = Number(count);
  const expiresAt = Number(expires);
  if (!isTtlTier(tier) || !Number.isInteger(cumulativeTokenCount) || !Number.isFinite(expiresAt)) {
    return undefined;
  }
  const copy = new Uint8Array(prefixHash); // callers may change what they get back
  return { prefixHash: copy, cumulativeTokenCount, ttlTier: tier, expiresAt: new Date(expiresAt) };
}
