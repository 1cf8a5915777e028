import { describe, expect, it } from "vitest";
import type { CacheIndexContractContext } from "../context.js";
import {
  cacheEntry,
  comparable,
  minutesFromNow,
  randomPrefixHash,
  randomScope,
} from "../fixtures.js";

export function refreshTests({ index }: CacheIndexContractContext): void {
  describe("refresh slides the expiry", () => {
    it("moves the expiry to the given time and keeps count and tier", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope, {
        cumulativeTokenCount: 4096,
        ttlTier: "1h",
        expiresAt: minutesFromNow(1),
      });
      await index().write(entry);
      const later = minutesFromNow(60);
      await index().refresh(scope, entry.prefixHash, later);
      expect(comparable(await index().lookup(scope, [entry.prefixHash]))).toEqual(
        comparable([{ ...entry, expiresAt: later }]),
      );
    });

    it("every refresh slides it again", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope, { expiresAt: minutesFromNow(1) });
      await index().write(entry);
      for (const minutes of [5, 10, 15]) {
        const next = minutesFromNow(minutes);
        await index().refresh(scope, new Uint8Array(entry.prefixHash), next);
        const [match] = await index().lookup(scope, [entry.prefixHash]);
        expect(match?.expiresAt.getTime()).toBe(next.getTime());
      }
    });

    it("only the refreshed entry moves", async () => {
      const scope = randomScope();
      const [a, b] = [cacheEntry(scope), cacheEntry(scope)];
      await index().write(a);
      await index().write(b);
      const later = minutesFromNow(50);
      await index().refresh(scope, a.prefixHash, later);
      expect(comparable(await index().lookup(scope, [a.prefixHash, b.prefixHash]))).toEqual(
        comparable([{ ...a, expiresAt: later }, b]),
      );
    });

    it("a refresh of a missing entry is a no-op: it resolves and creates nothing", async () => {
      const scope = randomScope();
      const neighbour = cacheEntry(scope);
      await index().write(neighbour);
      const missing = randomPrefixHash();
      await expect(index().refresh(scope, missing, minutesFromNow(30))).resolves.toBeUndefined();
      expect(await index().lookup(scope, [missing])).toEqual([]);
      await expect(
        index().refresh(randomScope(), missing, minutesFromNow(30)),
      ).resolves.toBeUndefined();
      expect(comparable(await index().lookup(scope, [neighbour.prefixHash, missing]))).toEqual(
        comparable([neighbour]),
      );
    });
  });
}
