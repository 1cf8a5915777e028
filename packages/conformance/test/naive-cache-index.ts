import {
  type CacheEntry,
  type CacheIndex,
  CacheIndexError,
  type CacheMatch,
  type IndexScope,
  isTtlTier,
  isUuid,
  type PrefixHash,
  type TtlTier,
} from "@switchyard/core";

interface Row {
  principal: string;
  model: string;
  tokenizer: string;
  hash: string;
  count: number;
  tier: TtlTier;
  expiresAt: number;
}

const hex = (hash: unknown): string | undefined =>
  hash instanceof Uint8Array && hash.byteLength === 32
    ? Buffer.from(hash.buffer, hash.byteOffset, 32).toString("hex")
    : undefined;

const principal = (id: string) => (isUuid(id) ? id.toLowerCase() : id);

/**
 * The simplest index that honours the CacheIndex interface: one array of
 * rows, scanned on every call. It exists to show the contract asks for the
 * interface's behaviour and nothing a particular implementation adds.
 */
export class NaiveCacheIndex implements CacheIndex {
  #rows: Row[] = [];
  queries = 0;

  #find(scope: IndexScope, hash: string): Row | undefined {
    return this.#rows.find(
      (r) =>
        r.principal === principal(scope.principalId) &&
        r.model === scope.virtualModel &&
        r.tokenizer === scope.tokenizerVersion &&
        r.hash === hash,
    );
  }

  async lookup(scope: IndexScope, candidates: readonly PrefixHash[]): Promise<CacheMatch[]> {
    if (candidates.length === 0) return [];
    this.queries++;
    const wanted = new Set(candidates.map(hex));
    return this.#rows
      .filter(
        (r) => wanted.has(r.hash) && this.#find(scope, r.hash) === r && r.expiresAt > Date.now(),
      )
      .map((r) => ({
        prefixHash: new Uint8Array(Buffer.from(r.hash, "hex")),
        cumulativeTokenCount: r.count,
        ttlTier: r.tier,
        expiresAt: new Date(r.expiresAt),
      }));
  }

  async write(entry: CacheEntry): Promise<void> {
    const hash = hex(entry.prefixHash);
    const expiresAt = entry.expiresAt instanceof Date ? entry.expiresAt.getTime() : Number.NaN;
    if (hash === undefined || !isTtlTier(entry.ttlTier) || Number.isNaN(expiresAt)) {
      throw new CacheIndexError("naive index: invalid entry");
    }
    this.queries++;
    const row = this.#find(entry.scope, hash);
    const values = { count: entry.cumulativeTokenCount, tier: entry.ttlTier, expiresAt };
    if (row) Object.assign(row, values);
    else {
      this.#rows.push({
        principal: principal(entry.scope.principalId),
        model: entry.scope.virtualModel,
        tokenizer: entry.scope.tokenizerVersion,
        hash,
        ...values,
      });
    }
  }

  async refresh(scope: IndexScope, prefixHash: PrefixHash, newExpiresAt: Date): Promise<void> {
    const expiresAt = newExpiresAt instanceof Date ? newExpiresAt.getTime() : Number.NaN;
    if (Number.isNaN(expiresAt)) throw new CacheIndexError("naive index: invalid date");
    const hash = hex(prefixHash);
    if (hash === undefined) return;
    this.queries++;
    const row = this.#find(scope, hash);
    if (row) row.expiresAt = expiresAt;
  }

  async sweep(olderThan: Date): Promise<number> {
    const cutoff = Math.min(olderThan.getTime(), Date.now());
    if (Number.isNaN(cutoff)) throw new CacheIndexError("naive index: invalid date");
    this.queries++;
    const before = this.#rows.length;
    this.#rows = this.#rows.filter((r) => r.expiresAt >= cutoff);
    return before - this.#rows.length;
  }
}
