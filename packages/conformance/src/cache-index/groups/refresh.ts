import type { CacheEntry } from "@switchyard/core";
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
  /** Refreshes the entry to `at`; a lookup then finds it with that expiry, count and tier kept. */
  const refreshRevives = async (entry: CacheEntry, at: Date) => {
    await index().refresh(entry.scope, entry.prefixHash, at);
    expect(comparable(await index().lookup(entry.scope, [entry.prefixHash]))).toEqual(
      comparable([{ ...entry, expiresAt: at }]),
    );
  };

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

    it("revives an expired entry: the refresh sets the expiry of any entry that still exists", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope, { ttlTier: "1h", expiresAt: minutesFromNow(-5) });
      await index().write(entry);
      await refreshRevives(entry, minutesFromNow(60));
    });

    it("revives an expired entry that a lookup met first (the lookup may not destroy it)", async () => {
      // A request found the entry live, it expired while the response was sent, and the
      // commit's refresh comes last; here the lookup meets the entry already expired.
      const scope = randomScope();
      const entry = cacheEntry(scope, {
        cumulativeTokenCount: 2048,
        ttlTier: "1h",
        expiresAt: minutesFromNow(-1),
      });
      await index().write(entry);
      expect(await index().lookup(scope, [entry.prefixHash])).toEqual([]);
      expect(await index().lookup(scope, [entry.prefixHash])).toEqual([]);
      await refreshRevives(entry, minutesFromNow(60));
    });

    it("a refresh to a past time expires an entry, and a later one revives it", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope, { expiresAt: minutesFromNow(10) });
      await index().write(entry);
      await index().refresh(scope, entry.prefixHash, minutesFromNow(-1));
      expect(await index().lookup(scope, [entry.prefixHash])).toEqual([]);
      await refreshRevives(entry, minutesFromNow(5));
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
