import { describe, expect, it } from "vitest";
import type { CacheIndexContractContext } from "../context.js";
import { cacheEntry, comparable, randomScope } from "../fixtures.js";

export function copyTests({ index }: CacheIndexContractContext): void {
  describe("copies", () => {
    it("changing the hash bytes or the date after write does not change the entry", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope);
      const snapshot = comparable([entry]);
      const original = new Uint8Array(entry.prefixHash);
      await index().write(entry);
      entry.prefixHash.fill(0);
      entry.expiresAt.setTime(entry.expiresAt.getTime() - 3_600_000);
      expect(comparable(await index().lookup(scope, [original]))).toEqual(snapshot);
      expect(await index().lookup(scope, [entry.prefixHash])).toEqual([]);
    });

    it("changing a returned match does not change the entry", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope);
      await index().write(entry);
      const [match] = await index().lookup(scope, [entry.prefixHash]);
      match?.prefixHash.fill(1);
      match?.expiresAt.setTime(0);
      expect(comparable(await index().lookup(scope, [entry.prefixHash]))).toEqual(
        comparable([entry]),
      );
    });
  });
}
