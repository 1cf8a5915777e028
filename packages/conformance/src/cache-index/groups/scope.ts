import { randomUUID } from "node:crypto";
import type { IndexScope } from "@switchyard/core";
import { describe, expect, it } from "vitest";
import type { CacheIndexContractContext } from "../context.js";
import { cacheEntry, comparable, minutesFromNow, randomScope } from "../fixtures.js";

const FIELDS = [
  ["principalId", () => randomUUID()],
  ["virtualModel", () => `model-${randomUUID()}`],
  ["tokenizerVersion", () => `tokenizer@${randomUUID()}`],
] as const;

export function scopeTests({ index }: CacheIndexContractContext): void {
  describe("scope isolation on every field", () => {
    describe.each(FIELDS)("another %s is another scope", (field, other) => {
      const elsewhere = (scope: IndexScope): IndexScope => ({ ...scope, [field]: other() });

      it("an entry is not found under it", async () => {
        const scope = randomScope();
        const entry = cacheEntry(scope);
        await index().write(entry);
        expect(await index().lookup(elsewhere(scope), [entry.prefixHash])).toEqual([]);
      });

      it("a write of the same hash under it is its own entry and replaces nothing", async () => {
        const scope = randomScope();
        const entry = cacheEntry(scope, { cumulativeTokenCount: 1000, ttlTier: "1h" });
        await index().write(entry);
        const other = elsewhere(scope);
        const theirs = cacheEntry(other, {
          prefixHash: new Uint8Array(entry.prefixHash),
          cumulativeTokenCount: 2000,
          ttlTier: "5m",
          expiresAt: minutesFromNow(3),
        });
        await index().write(theirs);
        expect(comparable(await index().lookup(scope, [entry.prefixHash]))).toEqual(
          comparable([entry]),
        );
        expect(comparable(await index().lookup(other, [entry.prefixHash]))).toEqual(
          comparable([theirs]),
        );
      });

      it("a refresh under it does not touch the entry", async () => {
        const scope = randomScope();
        const entry = cacheEntry(scope);
        await index().write(entry);
        await index().refresh(elsewhere(scope), entry.prefixHash, minutesFromNow(90));
        expect(comparable(await index().lookup(scope, [entry.prefixHash]))).toEqual(
          comparable([entry]),
        );
      });
    });

    it("virtualModel and tokenizerVersion compare exactly: another case is another scope", async () => {
      const scope = randomScope({ virtualModel: "Claude-Sonnet", tokenizerVersion: "Tok@1" });
      const entry = cacheEntry(scope);
      await index().write(entry);
      for (const other of [
        { ...scope, virtualModel: "claude-sonnet" },
        { ...scope, tokenizerVersion: "tok@1" },
        { ...scope, virtualModel: "Claude-Sonnet " },
      ]) {
        expect(await index().lookup(other, [entry.prefixHash])).toEqual([]);
      }
    });

    it("an upper-case spelling of a UUID principal id addresses the same entries", async () => {
      const scope = randomScope();
      const upper = { ...scope, principalId: scope.principalId.toUpperCase() };
      const entry = cacheEntry(upper);
      await index().write(entry);
      expect(comparable(await index().lookup(scope, [entry.prefixHash]))).toEqual(
        comparable([entry]),
      );
      const later = minutesFromNow(45);
      await index().refresh(scope, entry.prefixHash, later);
      const [match] = await index().lookup(upper, [entry.prefixHash]);
      expect(match?.expiresAt.getTime()).toBe(later.getTime());
    });

    it("a principal id that is not a UUID is never an error", async () => {
      const scope = randomScope({ principalId: "org-not-a-uuid" });
      const entry = cacheEntry(scope);
      await expect(index().write(entry)).resolves.toBeUndefined();
      await expect(
        index().refresh(scope, entry.prefixHash, minutesFromNow(20)),
      ).resolves.toBeUndefined();
      const matches = await index().lookup(scope, [entry.prefixHash]);
      expect(Array.isArray(matches)).toBe(true);
      expect(await index().lookup({ ...scope, principalId: "" }, [entry.prefixHash])).toEqual([]);
    });
  });
}
