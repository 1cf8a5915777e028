import { describe, expect, it } from "vitest";
import type { CacheIndexContractContext } from "../context.js";
import { cacheEntry, randomPrefixHash, randomScope } from "../fixtures.js";

/** The query counts are checked when the factory gives `queries()`; an index without a backend has none to count. */
export function queryTests({ index, queries }: CacheIndexContractContext): void {
  describe("round trips (counted when the factory gives queries())", () => {
    it("an empty candidate list gives [] and makes no query", async () => {
      const scope = randomScope();
      await index().write(cacheEntry(scope));
      const before = queries();
      expect(await index().lookup(scope, [])).toEqual([]);
      expect(queries()).toBe(before);
    });

    it("a lookup of 80 candidates is one query", async () => {
      const scope = randomScope();
      const entry = cacheEntry(scope);
      await index().write(entry);
      const candidates = [entry.prefixHash, ...Array.from({ length: 79 }, randomPrefixHash)];
      const before = queries();
      expect(await index().lookup(scope, candidates)).toHaveLength(1);
      const after = queries();
      if (before !== undefined && after !== undefined) expect(after - before).toBe(1);
    });
  });
}
