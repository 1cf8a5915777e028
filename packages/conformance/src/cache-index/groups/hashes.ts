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

export function hashTests({ index }: CacheIndexContractContext): void {
  describe("hashes compare by bytes, not identity", () => {
    it("a copy, a Buffer and a view at an offset into a larger buffer all address the entry", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope);
      await index().write(entry);
      const larger = new Uint8Array(64);
      larger.set(entry.prefixHash, 7);
      const views = [
        new Uint8Array(entry.prefixHash),
        Buffer.from(entry.prefixHash),
        larger.subarray(7, 39),
      ];
      for (const view of views) {
        expect(comparable(await index().lookup(scope, [view]))).toEqual(comparable([entry]));
      }
      const later = minutesFromNow(30);
      await index().refresh(scope, larger.subarray(7, 39), later);
      const [match] = await index().lookup(scope, [Buffer.from(entry.prefixHash)]);
      expect(match?.expiresAt.getTime()).toBe(later.getTime());
    });

    it("a write through a view at an offset stores exactly those 32 bytes", async () => {
      const scope = randomScope();
      const hash = randomPrefixHash();
      const larger = new Uint8Array(48).fill(0xee);
      larger.set(hash, 5);
      await index().write(cacheEntry(scope, { prefixHash: larger.subarray(5, 37) }));
      const matches = await index().lookup(scope, [hash]);
      expect(matches.map((m) => hashHex(m.prefixHash))).toEqual([hashHex(hash)]);
    });

    it("hashes differing in one byte are different entries", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope);
      const neighbour = new Uint8Array(entry.prefixHash);
      neighbour[31] = ((neighbour[31] as number) + 1) % 256;
      await index().write(entry);
      expect(await index().lookup(scope, [neighbour])).toEqual([]);
      const other = cacheEntry(scope, { prefixHash: neighbour, cumulativeTokenCount: 7 });
      await index().write(other);
      expect(comparable(await index().lookup(scope, [entry.prefixHash, neighbour]))).toEqual(
        comparable([entry, other]),
      );
    });

    it("a candidate that is not 32 bytes never matches and is not an error", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope);
      await index().write(entry);
      const short = entry.prefixHash.subarray(0, 31);
      expect(await index().lookup(scope, [short, new Uint8Array(0)])).toEqual([]);
      const mixed = await index().lookup(scope, [short, entry.prefixHash, randomPrefixHash()]);
      expect(comparable(mixed)).toEqual(comparable([entry]));
    });
  });
}
