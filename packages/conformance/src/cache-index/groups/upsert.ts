import { describe, expect, it } from "vitest";
import type { CacheIndexContractContext } from "../context.js";
import { cacheEntry, comparable, minutesFromNow, randomScope } from "../fixtures.js";

export function upsertTests({ index }: CacheIndexContractContext): void {
  describe("write is an upsert on (scope, hash)", () => {
    it("writing the same hash twice leaves one entry with the second count, tier and expiry", async () => {
      const scope = randomScope();
      const first = cacheEntry(scope, { cumulativeTokenCount: 100, ttlTier: "5m" });
      await index().write(first);
      const second = {
        ...first,
        prefixHash: new Uint8Array(first.prefixHash),
        cumulativeTokenCount: 200,
        ttlTier: "1h",
        expiresAt: minutesFromNow(60),
      } as const;
      await index().write(second);
      const matches = await index().lookup(scope, [first.prefixHash]);
      expect(matches).toHaveLength(1);
      expect(comparable(matches)).toEqual(comparable([second]));
    });

    it("a rewrite may also lower the count, shorten the tier and move the expiry earlier", async () => {
      const scope = randomScope();
      const first = cacheEntry(scope, {
        cumulativeTokenCount: 90_000,
        ttlTier: "24h",
        expiresAt: minutesFromNow(24 * 60),
      });
      await index().write(first);
      const second = {
        ...first,
        cumulativeTokenCount: 1500,
        ttlTier: "5m",
        expiresAt: minutesFromNow(5),
      } as const;
      await index().write(second);
      expect(comparable(await index().lookup(scope, [first.prefixHash]))).toEqual(
        comparable([second]),
      );
    });

    it("a rewrite with an expiry in the past makes the entry stop matching", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope);
      await index().write(entry);
      await index().write({ ...entry, expiresAt: minutesFromNow(-1) });
      expect(await index().lookup(scope, [entry.prefixHash])).toEqual([]);
    });

    it("concurrent writes of the same entry leave exactly one, with one writer's values", async () => {
      const scope = randomScope();
      const base = cacheEntry(scope);
      const writes = Array.from({ length: 8 }, (_, i) => ({
        ...base,
        cumulativeTokenCount: 1000 + i,
      }));
      await Promise.all(writes.map((w) => index().write(w)));
      const matches = await index().lookup(scope, [base.prefixHash]);
      expect(matches).toHaveLength(1);
      expect(writes.map((w) => w.cumulativeTokenCount)).toContain(matches[0]?.cumulativeTokenCount);
    });
  });
}
