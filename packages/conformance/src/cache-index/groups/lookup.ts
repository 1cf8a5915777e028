import { describe, expect, it } from "vitest";
import type { CacheIndexContractContext } from "../context.js";
import {
  cacheEntry,
  comparable,
  hashHex,
  minutesFromNow,
  randomPrefixHash,
  randomScope,
} from "../fixtures.js";

export function lookupTests({ index }: CacheIndexContractContext): void {
  describe("lookup", () => {
    it("a written entry matches with its count, tier and expiry (every tier)", async () => {
      const scope = randomScope();
      const entries = [
        cacheEntry(scope, {
          cumulativeTokenCount: 1024,
          ttlTier: "5m",
          expiresAt: minutesFromNow(5),
        }),
        cacheEntry(scope, {
          cumulativeTokenCount: 50_000,
          ttlTier: "1h",
          expiresAt: minutesFromNow(60),
        }),
        cacheEntry(scope, {
          cumulativeTokenCount: 2_147_483_647,
          ttlTier: "24h",
          expiresAt: minutesFromNow(24 * 60),
        }),
      ];
      for (const entry of entries) await index().write(entry);
      const matches = await index().lookup(
        scope,
        entries.map((e) => e.prefixHash),
      );
      expect(comparable(matches)).toEqual(comparable(entries));
      for (const match of matches) {
        expect(match.prefixHash).toBeInstanceOf(Uint8Array);
        expect(match.prefixHash.byteLength).toBe(32);
        expect(match.expiresAt).toBeInstanceOf(Date);
        expect(typeof match.cumulativeTokenCount).toBe("number");
      }
    });

    it("a count of 0 tokens round-trips", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope, { cumulativeTokenCount: 0 });
      await index().write(entry);
      expect(comparable(await index().lookup(scope, [entry.prefixHash]))).toEqual(
        comparable([entry]),
      );
    });

    it("only the asked-for hashes are returned", async () => {
      const scope = randomScope();
      const [a, b, c] = [cacheEntry(scope), cacheEntry(scope), cacheEntry(scope)];
      for (const entry of [a, b, c]) await index().write(entry);
      const matches = await index().lookup(scope, [a.prefixHash, randomPrefixHash(), c.prefixHash]);
      expect(comparable(matches)).toEqual(comparable([a, c]));
    });

    it("an unknown scope or unknown hashes give [] (not an error)", async () => {
      expect(await index().lookup(randomScope(), [randomPrefixHash(), randomPrefixHash()])).toEqual(
        [],
      );
      const scope = randomScope();
      await index().write(cacheEntry(scope));
      expect(await index().lookup(scope, [randomPrefixHash()])).toEqual([]);
    });

    it("a candidate listed twice is returned once", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope);
      await index().write(entry);
      const matches = await index().lookup(scope, [
        entry.prefixHash,
        new Uint8Array(entry.prefixHash),
        entry.prefixHash,
      ]);
      expect(matches.map((m) => hashHex(m.prefixHash))).toEqual([hashHex(entry.prefixHash)]);
    });

    it("many candidates (4 breakpoints x 20 boundaries) in one lookup", async () => {
      const scope = randomScope();
      const candidates = Array.from({ length: 80 }, () => randomPrefixHash());
      const written = [3, 19, 40, 79].map((i) =>
        cacheEntry(scope, { prefixHash: candidates[i] as Uint8Array, cumulativeTokenCount: i }),
      );
      for (const entry of written) await index().write(entry);
      expect(comparable(await index().lookup(scope, candidates))).toEqual(comparable(written));
    });
  });
}
