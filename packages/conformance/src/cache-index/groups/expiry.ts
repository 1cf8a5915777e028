import { describe, expect, it } from "vitest";
import type { CacheIndexContractContext } from "../context.js";
import { cacheEntry, comparable, minutesFromNow, randomScope } from "../fixtures.js";

export function expiryTests({ index }: CacheIndexContractContext): void {
  describe("expired entries never match", () => {
    it("an entry whose expiresAt has passed does not match", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope, { expiresAt: minutesFromNow(-10) });
      await index().write(entry);
      expect(await index().lookup(scope, [entry.prefixHash])).toEqual([]);
      // Asking again (after an implementation may have dropped it) is the same.
      expect(await index().lookup(scope, [entry.prefixHash])).toEqual([]);
    });

    it("in one lookup, live entries match and expired ones do not", async () => {
      const scope = randomScope();
      const live = [cacheEntry(scope), cacheEntry(scope, { ttlTier: "24h" })];
      const expired = [
        cacheEntry(scope, { expiresAt: minutesFromNow(-1) }),
        cacheEntry(scope, { expiresAt: minutesFromNow(-24 * 60), ttlTier: "24h" }),
      ];
      for (const entry of [...expired, ...live]) await index().write(entry);
      const matches = await index().lookup(
        scope,
        [expired[0], live[0], expired[1], live[1]].map((e) => e?.prefixHash as Uint8Array),
      );
      expect(comparable(matches)).toEqual(comparable(live));
    });

    it("a rewrite of an expired entry makes it live again, with the new values", async () => {
      const scope = randomScope();
      const old = cacheEntry(scope, { cumulativeTokenCount: 100, expiresAt: minutesFromNow(-5) });
      await index().write(old);
      expect(await index().lookup(scope, [old.prefixHash])).toEqual([]);
      const fresh = {
        ...old,
        cumulativeTokenCount: 3000,
        ttlTier: "1h",
        expiresAt: minutesFromNow(60),
      } as const;
      await index().write(fresh);
      expect(comparable(await index().lookup(scope, [old.prefixHash]))).toEqual(
        comparable([fresh]),
      );
    });
  });
}
