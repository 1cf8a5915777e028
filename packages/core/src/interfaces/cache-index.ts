/**
 * The prompt-prefix cache index: which prompt prefixes a principal has
 * cached, with their token counts. A cache, not a ledger: a lost entry means
 * "miss, full price", and callers treat any rejection as "no cache".
 */

/** Sliding TTL window of an entry: every read resets expiry to now + tier. */
export type TtlTier = "5m" | "1h" | "24h";

export const TTL_TIERS: readonly TtlTier[] = ["5m", "1h", "24h"];

export const TTL_TIER_MS: Readonly<Record<TtlTier, number>> = {
  "5m": 5 * 60_000,
  "1h": 60 * 60_000,
  "24h": 24 * 60 * 60_000,
};

export function isTtlTier(value: unknown): value is TtlTier {
  return value === "5m" || value === "1h" || value === "24h";
}

/** Keys every entry. */
export interface IndexScope {
  /** The org (or personal user) owning the API key. */
  readonly principalId: string;
  /** The user-facing model name, before routing rewrites it. */
  readonly virtualModel: string;
  /** Re-keys entries when the tokenizer changes. */
  readonly tokenizerVersion: string;
}

/** SHA-256 of the canonical bytes of a prompt up to a breakpoint (32 bytes). */
export type PrefixHash = Uint8Array;

/**
 * Lower-case hex of a hash's bytes, read in place (whatever view or subclass
 * carries them, no copy): the form indexes key their maps and rows with.
 */
export function hashHex(hash: PrefixHash): string {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString("hex");
}

/** A live entry found by `lookup`. */
export interface CacheMatch {
  readonly prefixHash: PrefixHash;
  readonly cumulativeTokenCount: number;
  readonly ttlTier: TtlTier;
  readonly expiresAt: Date;
}

/** An entry to write (upsert on scope + hash). */
export interface CacheEntry extends CacheMatch {
  readonly scope: IndexScope;
}

export interface CacheIndex {
  /** Which candidates are live (`expiresAt > now`) entries of this scope. */
  lookup(scope: IndexScope, candidates: readonly PrefixHash[]): Promise<CacheMatch[]>;
  /** Upsert: a rewrite replaces count, tier and expiry. */
  write(entry: CacheEntry): Promise<void>;
  /** Slides an entry's expiry. A missing entry is not an error. */
  refresh(scope: IndexScope, prefixHash: PrefixHash, newExpiresAt: Date): Promise<void>;
  /** Deletes entries that expired before `olderThan`, in bounded batches; returns how many. */
  sweep?(olderThan: Date): Promise<number>;
}
