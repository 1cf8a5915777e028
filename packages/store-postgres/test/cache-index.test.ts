import { randomUUID } from "node:crypto";
import { cacheEntry, minutesFromNow, randomPrefixHash, randomScope } from "@switchyard/conformance";
import { type CacheEntry, CacheIndexError } from "@switchyard/core";
import type { Knex } from "knex";
import { beforeAll, describe, expect, it } from "vitest";
import {
  migrate,
  PostgresCacheIndex,
  type PostgresCacheIndexOptions,
  TOKEN_COUNT_COLUMN_MAX,
} from "../src/index.js";
import { connect, recordingLogger, recordQueries, useDatabase } from "./helpers.js";

const database = useDatabase();
let knex: Knex;
let queries: ReturnType<typeof recordQueries>;
beforeAll(async () => {
  knex = database.knex();
  await migrate(knex);
  queries = recordQueries(knex);
});

function index(options: Partial<PostgresCacheIndexOptions> = {}) {
  const logger = recordingLogger();
  return { index: new PostgresCacheIndex({ knex, logger, ...options }), logger };
}

/** Queries sent while `work` runs. */
async function sent(work: () => Promise<unknown>) {
  const start = queries.length;
  await work();
  return queries.slice(start);
}

async function rowOf(entry: CacheEntry) {
  const rows = await knex("prompt_cache_entries").where({
    principal_id: entry.scope.principalId,
    prefix_hash: Buffer.from(entry.prefixHash),
  });
  return rows;
}

const DAY = 24 * 60;

describe("queries", () => {
  it("a lookup is one parameterized SELECT with prefix_hash = ANY(...) and expires_at > now()", async () => {
    const { index: idx } = index();
    const scope = randomScope();
    const entry = cacheEntry(scope);
    await idx.write(entry);
    const candidates = [entry.prefixHash, randomPrefixHash(), randomPrefixHash()];
    const seen = await sent(() => idx.lookup(scope, candidates));
    expect(seen).toHaveLength(1);
    const query = seen[0];
    if (query === undefined) throw new Error("expected one query");
    expect(query.sql).toMatch(/^select prefix_hash, cumulative_token_count, ttl_tier, expires_at/i);
    expect(query.sql).toContain("prefix_hash = ANY($4::bytea[])");
    expect(query.sql).toContain("expires_at > now()");
    expect(query.sql).not.toContain(scope.principalId);
    expect(query.sql).not.toContain(scope.virtualModel);
    expect(query.bindings.slice(0, 3)).toEqual([
      scope.principalId,
      scope.virtualModel,
      scope.tokenizerVersion,
    ]);
    expect((query.bindings[3] as Buffer[]).map((b) => Buffer.from(b).toString("hex"))).toEqual(
      candidates.map((c) => Buffer.from(c).toString("hex")),
    );
  });

  it("the lookup is served by the unique (scope, hash) btree", async () => {
    const { index: idx } = index();
    // Enough rows in other scopes that a sequential scan would lose.
    await knex.raw(
      `INSERT INTO prompt_cache_entries (principal_id, virtual_model, tokenizer_version, prefix_hash, cumulative_token_count, ttl_tier, expires_at)
       SELECT md5(i::text)::uuid, 'm', 't', sha256(i::text::bytea), i, '5m', now() + interval '1 hour'
       FROM generate_series(1, 5000) AS i`,
    );
    await knex.raw("ANALYZE prompt_cache_entries");
    const scope = randomScope();
    await idx.write(cacheEntry(scope));
    const plan = await knex.raw(
      `EXPLAIN SELECT prefix_hash FROM prompt_cache_entries
       WHERE principal_id = ? AND virtual_model = ? AND tokenizer_version = ?
         AND prefix_hash = ANY(?::bytea[]) AND expires_at > now()`,
      [scope.principalId, scope.virtualModel, scope.tokenizerVersion, [Buffer.alloc(32)]],
    );
    const text = plan.rows.map((r: { "QUERY PLAN": string }) => r["QUERY PLAN"]).join("\n");
    expect(text).toContain("prompt_cache_entries_scope_hash_key");
  });

  it("write is one INSERT ... ON CONFLICT; refresh is one UPDATE", async () => {
    const { index: idx } = index();
    const scope = randomScope();
    const entry = cacheEntry(scope);
    const writes = await sent(() => idx.write(entry));
    expect(writes.map((q) => q.sql.trim().split(/\s+/)[0]?.toUpperCase())).toEqual(["INSERT"]);
    expect(writes[0]?.sql).toContain(
      "ON CONFLICT (principal_id, virtual_model, tokenizer_version, prefix_hash) DO UPDATE",
    );
    const refreshes = await sent(() => idx.refresh(scope, entry.prefixHash, minutesFromNow(30)));
    expect(refreshes.map((q) => q.sql.trim().split(/\s+/)[0]?.toUpperCase())).toEqual(["UPDATE"]);
  });

  it("no query for: an empty list, candidates that are not 32 bytes, a non-UUID principal", async () => {
    const { index: idx } = index();
    const scope = randomScope();
    const other = { ...scope, principalId: "org-1" };
    const seen = await sent(async () => {
      expect(await idx.lookup(scope, [])).toEqual([]);
      expect(await idx.lookup(scope, [new Uint8Array(31), new Uint8Array(0)])).toEqual([]);
      expect(await idx.lookup(other, [randomPrefixHash()])).toEqual([]);
      await idx.refresh(other, randomPrefixHash(), minutesFromNow(5));
      await idx.refresh(scope, new Uint8Array(8), minutesFromNow(5));
    });
    expect(seen).toEqual([]);
  });

  it("an invalid entry is rejected before any query", async () => {
    const { index: idx } = index();
    const seen = await sent(async () => {
      const bad = { ...cacheEntry(randomScope()), ttlTier: "2h" } as unknown as CacheEntry;
      await expect(idx.write(bad)).rejects.toBeInstanceOf(CacheIndexError);
      await expect(
        idx.write(cacheEntry(randomScope(), { prefixHash: new Uint8Array(16) })),
      ).rejects.toThrow(/32-byte prefixHash, got 16 bytes/);
    });
    expect(seen).toEqual([]);
  });
});

describe("what write stores", () => {
  it("the row holds the scope, the 32 hash bytes, count, tier, expiry and created_at", async () => {
    const { index: idx } = index();
    const scope = randomScope();
    const entry = cacheEntry(scope, { cumulativeTokenCount: 4321, ttlTier: "1h" });
    await idx.write(entry);
    const [row] = await rowOf(entry);
    expect(row).toMatchObject({
      principal_id: scope.principalId,
      virtual_model: scope.virtualModel,
      tokenizer_version: scope.tokenizerVersion,
      cumulative_token_count: 4321,
      ttl_tier: "1h",
      expires_at: entry.expiresAt,
    });
    expect(Buffer.from(row.prefix_hash).equals(Buffer.from(entry.prefixHash))).toBe(true);
    expect(row.created_at).toBeInstanceOf(Date);
  });

  it("a rewrite updates count, tier and expiry in place: same id, same created_at", async () => {
    const { index: idx } = index();
    const entry = cacheEntry(randomScope());
    await idx.write(entry);
    const [before] = await rowOf(entry);
    await idx.write({
      ...entry,
      cumulativeTokenCount: 1,
      ttlTier: "24h",
      expiresAt: minutesFromNow(DAY),
    });
    const rows = await rowOf(entry);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: before.id,
      created_at: before.created_at,
      cumulative_token_count: 1,
      ttl_tier: "24h",
    });
  });

  it.each([
    [3_000_000_000, TOKEN_COUNT_COLUMN_MAX],
    [-1, 0],
    [10.9, 10],
    [Number.NaN, 0],
  ])("a count of %s is stored as %s and logged", async (given, stored) => {
    const { index: idx, logger } = index();
    const scope = randomScope();
    const entry = cacheEntry(scope, { cumulativeTokenCount: given });
    await idx.write(entry);
    const [match] = await idx.lookup(scope, [entry.prefixHash]);
    expect(match?.cumulativeTokenCount).toBe(stored);
    expect(logger.warnings).toEqual([
      expect.objectContaining({ message: expect.stringContaining(`stored as ${stored}`) }),
    ]);
  });

  it("a write for a principal id that is not a UUID is skipped and warned about once", async () => {
    const { index: idx, logger } = index();
    const scope = { ...randomScope(), principalId: "user-42" };
    const seen = await sent(async () => {
      await idx.write(cacheEntry(scope));
      await idx.write(cacheEntry(scope));
    });
    expect(seen).toEqual([]);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.message).toMatch(/"user-42" is not a UUID/);
  });

  it("the table itself refuses a hash of another length and an unknown tier", async () => {
    const insert = (hash: Buffer, tier: string) =>
      knex.raw(
        "INSERT INTO prompt_cache_entries (principal_id, virtual_model, tokenizer_version, prefix_hash, cumulative_token_count, ttl_tier, expires_at) VALUES (?, 'm', 't', ?, 1, ?, now())",
        [randomUUID(), hash, tier],
      );
    await expect(insert(Buffer.alloc(31), "5m")).rejects.toThrow(/prefix_hash_check/);
    await expect(insert(Buffer.alloc(32), "2h")).rejects.toThrow(/ttl_tier_check/);
  });
});

describe("sweep", () => {
  /** Expired entries whose expiry is two days back, where no other test of this file writes. */
  async function ancient(idx: PostgresCacheIndex, count: number) {
    const base = minutesFromNow(-2 * DAY);
    for (let i = 0; i < count; i++) {
      await idx.write(
        cacheEntry(randomScope(), { expiresAt: minutesFromNow(-i - 1, base.getTime()) }),
      );
    }
    return base;
  }

  it("deletes in batches of batchSize until a batch comes back short, and returns the total", async () => {
    const { index: idx } = index();
    const cutoff = await ancient(idx, 5);
    const deletes = await sent(async () => {
      expect(await idx.sweep(cutoff, { batchSize: 2 })).toBe(5);
    });
    expect(deletes).toHaveLength(3); // 2 + 2 + 1
    for (const q of deletes) {
      expect(q.sql).toMatch(/^DELETE FROM "prompt_cache_entries" WHERE id IN \(/);
      expect(q.sql).toContain("LIMIT $2 FOR UPDATE SKIP LOCKED)");
      expect(q.bindings).toEqual([cutoff, 2]);
    }
  });

  it("a batch that comes back exactly full is followed by one more statement", async () => {
    const { index: idx } = index({ sweepBatchSize: 2 });
    const cutoff = await ancient(idx, 4);
    const deletes = await sent(async () => {
      expect(await idx.sweep(cutoff)).toBe(4);
    });
    expect(deletes).toHaveLength(3); // 2 + 2 + 0
  });

  it("does not wait for rows another transaction holds locked; a later sweep takes them", async () => {
    const { index: idx } = index();
    const cutoff = await ancient(idx, 3);
    const trx = await knex.transaction();
    try {
      const locked = await trx.raw(
        "SELECT id FROM prompt_cache_entries WHERE expires_at < ? ORDER BY expires_at LIMIT 1 FOR UPDATE",
        [cutoff],
      );
      expect(locked.rows).toHaveLength(1);
      expect(await idx.sweep(cutoff)).toBe(2);
    } finally {
      await trx.rollback();
    }
    expect(await idx.sweep(cutoff)).toBe(1);
  });

  it("keeps a row that a refresh made live again", async () => {
    const { index: idx } = index();
    const scope = randomScope();
    const entry = cacheEntry(scope, { expiresAt: minutesFromNow(-5) });
    await idx.write(entry);
    await idx.refresh(scope, entry.prefixHash, minutesFromNow(5));
    await idx.sweep(new Date());
    expect(await idx.lookup(scope, [entry.prefixHash])).toHaveLength(1);
  });
});

describe("errors", () => {
  it("a missing table is a CacheIndexError that says to migrate, with the driver error as cause", async () => {
    const quiet = connect(database.db().url, 2, true);
    const idx = new PostgresCacheIndex({ knex: quiet, tablePrefix: "missing_" });
    const scope = randomScope();
    const calls: [string, () => Promise<unknown>][] = [
      ["lookup", () => idx.lookup(scope, [randomPrefixHash()])],
      ["write", () => idx.write(cacheEntry(scope))],
      ["refresh", () => idx.refresh(scope, randomPrefixHash(), minutesFromNow(1))],
      ["sweep", () => idx.sweep(new Date())],
    ];
    for (const [operation, call] of calls) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CacheIndexError);
      expect((error as CacheIndexError).code).toBe("E_CACHE_INDEX_BACKEND");
      expect((error as Error).message).toMatch(
        new RegExp(
          `^postgres cache index: ${operation} on missing_prompt_cache_entries failed: .*run migrate`,
        ),
      );
      expect((error as Error & { cause: { code: string } }).cause.code).toBe("42P01");
    }
    await quiet.destroy();
  });

  it("an unreachable server is a CacheIndexError with the connection error as cause", async () => {
    const nowhere = connect("postgres://nobody@127.0.0.1:1/none", 1, true);
    try {
      const idx = new PostgresCacheIndex({ knex: nowhere });
      const error = await idx.lookup(randomScope(), [randomPrefixHash()]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CacheIndexError);
      expect((error as Error).cause).toBeInstanceOf(Error);
    } finally {
      await nowhere.destroy();
    }
  });

  it("a row that does not decode is skipped with a warning; the other matches still come back", async () => {
    const names = { tablePrefix: "loose_" };
    await migrate(knex, names);
    // A table adopted from elsewhere might lack the tier check.
    await knex.raw(
      "ALTER TABLE loose_prompt_cache_entries DROP CONSTRAINT loose_prompt_cache_entries_ttl_tier_check",
    );
    const { index: idx, logger } = index(names);
    const scope = randomScope();
    const good = cacheEntry(scope);
    await idx.write(good);
    const bad = randomPrefixHash();
    await knex.raw(
      "INSERT INTO loose_prompt_cache_entries (principal_id, virtual_model, tokenizer_version, prefix_hash, cumulative_token_count, ttl_tier, expires_at) VALUES (?, ?, ?, ?, 5, 'forever', now() + interval '1 hour')",
      [scope.principalId, scope.virtualModel, scope.tokenizerVersion, Buffer.from(bad)],
    );
    const matches = await idx.lookup(scope, [good.prefixHash, bad]);
    expect(matches.map((m) => Buffer.from(m.prefixHash).toString("hex"))).toEqual([
      Buffer.from(good.prefixHash).toString("hex"),
    ]);
    expect(logger.warnings).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("does not decode"),
        context: expect.objectContaining({ ttlTier: "forever" }),
      }),
    ]);
  });
});
