import { type CacheIndex, CacheIndexError } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { CacheIndexContractContext } from "../context.js";
import { cacheEntry, comparable, minutesFromNow, randomScope } from "../fixtures.js";

const DAY_MINUTES = 24 * 60;

type Sweeper = Required<Pick<CacheIndex, "sweep">>;

function sweeper(index: CacheIndex): Sweeper {
  if (typeof index.sweep !== "function") {
    throw new Error(
      "cacheIndexContract: sweep: true, but the index has no sweep(olderThan) method",
    );
  }
  return index as Sweeper;
}

export function sweepTests({ index }: CacheIndexContractContext): void {
  describe("sweep", () => {
    it("deletes the entries that expired before olderThan, in every scope, and returns how many", async () => {
      const now = Date.now();
      // Two days back: no other test writes entries that expired that long ago.
      const cutoff = minutesFromNow(-2 * DAY_MINUTES, now);
      const old = [-60, -120, -180].map((m) =>
        cacheEntry(randomScope(), { expiresAt: minutesFromNow(m, cutoff.getTime()) }),
      );
      const laterExpired = cacheEntry(randomScope(), {
        expiresAt: minutesFromNow(60, cutoff.getTime()),
      });
      for (const entry of [...old, laterExpired]) await index().write(entry);

      expect(await sweeper(index()).sweep(cutoff)).toBe(3);
      expect(await sweeper(index()).sweep(cutoff)).toBe(0);
      // The entry that expired after the cutoff was kept: a later cutoff finds it.
      expect(await sweeper(index()).sweep(minutesFromNow(120, cutoff.getTime()))).toBe(1);
    });

    it("removes only expired entries: live ones of every scope survive any cutoff", async () => {
      const scopes = [randomScope(), randomScope()];
      const live = scopes.flatMap((scope) => [
        cacheEntry(scope, { expiresAt: minutesFromNow(1) }),
        cacheEntry(scope, { ttlTier: "24h", expiresAt: minutesFromNow(DAY_MINUTES) }),
      ]);
      const expired = scopes.map((scope) => cacheEntry(scope, { expiresAt: minutesFromNow(-1) }));
      for (const entry of [...live, ...expired]) await index().write(entry);

      expect(await sweeper(index()).sweep(new Date())).toBeGreaterThanOrEqual(2);
      // A cutoff in the future is no licence to delete live entries.
      await sweeper(index()).sweep(minutesFromNow(2 * DAY_MINUTES));
      for (const scope of scopes) {
        const mine = live.filter((e) => e.scope === scope);
        const matches = await index().lookup(
          scope,
          mine.map((e) => e.prefixHash),
        );
        expect(comparable(matches)).toEqual(comparable(mine));
      }
    });

    it("deletes an expired entry a lookup met, keeps one a refresh revived, and a refresh after the sweep creates nothing", async () => {
      const scope = randomScope();
      const met = cacheEntry(scope, { expiresAt: minutesFromNow(-30) });
      const revived = cacheEntry(scope, { expiresAt: minutesFromNow(-30) });
      for (const entry of [met, revived]) await index().write(entry);
      const hashes = [met.prefixHash, revived.prefixHash];
      expect(await index().lookup(scope, hashes)).toEqual([]);
      const later = minutesFromNow(30);
      await index().refresh(scope, revived.prefixHash, later);
      expect(await sweeper(index()).sweep(new Date())).toBeGreaterThanOrEqual(1);
      await index().refresh(scope, met.prefixHash, minutesFromNow(30));
      expect(comparable(await index().lookup(scope, hashes))).toEqual(
        comparable([{ ...revived, expiresAt: later }]),
      );
    });

    it("after a sweep, a rewrite of a swept hash is a fresh entry", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope, { expiresAt: minutesFromNow(-30) });
      await index().write(entry);
      expect(await sweeper(index()).sweep(new Date())).toBeGreaterThanOrEqual(1);
      const again = { ...entry, cumulativeTokenCount: 77, expiresAt: minutesFromNow(5) };
      await index().write(again);
      expect(comparable(await index().lookup(scope, [entry.prefixHash]))).toEqual(
        comparable([again]),
      );
    });

    it("an invalid olderThan rejects with CacheIndexError", async () => {
      await expect(sweeper(index()).sweep(new Date(Number.NaN))).rejects.toBeInstanceOf(
        CacheIndexError,
      );
    });
  });
}
