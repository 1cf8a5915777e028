import type { CacheIndex } from "@switchyard/core";
import { afterEach, beforeEach, describe } from "vitest";
import type {
  CacheIndexContractContext,
  CacheIndexContractOptions,
  CacheIndexFactory,
  CacheIndexUnderTest,
} from "./context.js";
import { copyTests } from "./groups/copies.js";
import { expiryTests } from "./groups/expiry.js";
import { hashTests } from "./groups/hashes.js";
import { invalidInputTests } from "./groups/invalid-input.js";
import { lookupTests } from "./groups/lookup.js";
import { queryTests } from "./groups/queries.js";
import { refreshTests } from "./groups/refresh.js";
import { scopeTests } from "./groups/scope.js";
import { sweepTests } from "./groups/sweep.js";
import { upsertTests } from "./groups/upsert.js";

/**
 * Declares the CacheIndex contract tests (vitest `describe`/`it`) for the
 * index the factory makes. Call it at the top level of a test file:
 *
 * ```ts
 * cacheIndexContract(() => ({ index: new MemoryCacheIndex() }), { sweep: true });
 * ```
 *
 * Every test gets a fresh index from the factory and works in random scopes,
 * so an index whose backend is shared by all tests (one database) is fine.
 * Expiry is tested with `expiresAt` minutes in the past or the future (never
 * by waiting), so the backend's clock may be its own (Postgres `now()`), within
 * a minute of the test process's.
 */
export function cacheIndexContract<I extends CacheIndex>(
  factory: CacheIndexFactory<I>,
  options: CacheIndexContractOptions<I> = {},
): void {
  const label = options.label ?? "CacheIndex contract";
  const teardown = options.teardown ?? (() => undefined);

  describe(label, () => {
    let current: CacheIndexUnderTest<I> | undefined;
    beforeEach(async () => {
      current = await factory();
    });
    afterEach(async () => {
      const subject = current;
      current = undefined;
      if (subject) await teardown(subject);
    });

    const subject = (): CacheIndexUnderTest<I> => {
      if (!current)
        throw new Error("cacheIndexContract: the index is only available inside a test");
      return current;
    };
    const context: CacheIndexContractContext = {
      index: () => subject().index,
      queries: () => subject().queries?.(),
    };

    lookupTests(context);
    hashTests(context);
    scopeTests(context);
    expiryTests(context);
    upsertTests(context);
    refreshTests(context);
    queryTests(context);
    copyTests(context);
    invalidInputTests(context);
    if (options.sweep) sweepTests(context);
  });
}
