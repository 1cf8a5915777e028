import { type CacheEntry, CacheIndexError } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { CacheIndexContractContext } from "../context.js";
import { cacheEntry, randomPrefixHash, randomScope } from "../fixtures.js";

async function rejection(promise: Promise<unknown>): Promise<CacheIndexError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CacheIndexError);
    expect((error as CacheIndexError).code).toBe("E_CACHE_INDEX_BACKEND");
    return error as CacheIndexError;
  }
  throw new Error("expected a rejection with CacheIndexError");
}

export function invalidInputTests({ index }: CacheIndexContractContext): void {
  describe("an entry the index cannot hold is rejected with CacheIndexError, storing nothing", () => {
    it.each([
      [
        "a hash of 31 bytes",
        (e: CacheEntry) => ({ ...e, prefixHash: e.prefixHash.subarray(0, 31) }),
      ],
      ["a hash of 33 bytes", (e: CacheEntry) => ({ ...e, prefixHash: new Uint8Array(33) })],
      ["a hash that is not a Uint8Array", (e: CacheEntry) => ({ ...e, prefixHash: [1, 2, 3] })],
    ])("%s", async (_, change) => {
      const scope = randomScope();
      await rejection(index().write(change(cacheEntry(scope)) as CacheEntry));
    });

    it.each([
      ["an unknown ttl tier", { ttlTier: "2h" }],
      ["an invalid expiry date", { expiresAt: new Date(Number.NaN) }],
      ["an expiry that is not a Date", { expiresAt: "tomorrow" }],
    ])("%s", async (_, override) => {
      const scope = randomScope();
      const entry = { ...cacheEntry(scope), ...override } as unknown as CacheEntry;
      await rejection(index().write(entry));
      expect(await index().lookup(scope, [entry.prefixHash])).toEqual([]);
    });

    it("a refresh to an invalid date rejects and leaves the entry as it was", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope);
      await index().write(entry);
      await rejection(index().refresh(scope, entry.prefixHash, new Date(Number.NaN)));
      const [match] = await index().lookup(scope, [entry.prefixHash]);
      expect(match?.expiresAt.getTime()).toBe(entry.expiresAt.getTime());
    });

    it("a refresh of a hash that is not 32 bytes is a no-op", async () => {
      const scope = randomScope();
      const hash = randomPrefixHash();
      await expect(
        index().refresh(scope, hash.subarray(0, 16), new Date(Date.now() + 60_000)),
      ).resolves.toBeUndefined();
    });
  });
}
