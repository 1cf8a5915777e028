import type { CacheEntry, CacheIndex, CacheMatch, IndexScope, PrefixHash } from "@switchyard/core";

/** TEMPORARY in-memory baseline until the Postgres index lands. */
export function createBaseline(): CacheIndex & { close(): Promise<void> } {
  const rows = new Map<string, CacheEntry>();
  const key = (s: IndexScope, h: PrefixHash) =>
    `${s.principalId}\u0000${s.virtualModel}\u0000${s.tokenizerVersion}\u0000${Buffer.from(h).toString("hex")}`;
  return {
    async lookup(s, candidates) {
      const out: CacheMatch[] = [];
      for (const h of candidates) {
        const row = rows.get(key(s, h));
        if (row && row.expiresAt.getTime() > Date.now()) {
          out.push({
            prefixHash: h,
            cumulativeTokenCount: row.cumulativeTokenCount,
            ttlTier: row.ttlTier,
            expiresAt: row.expiresAt,
          });
        }
      }
      return out;
    },
    async write(e) {
      rows.set(key(e.scope, e.prefixHash), e);
    },
    async refresh(s, h, at) {
      const row = rows.get(key(s, h));
      if (row) rows.set(key(s, h), { ...row, expiresAt: at });
    },
    async close() {},
  };
}
