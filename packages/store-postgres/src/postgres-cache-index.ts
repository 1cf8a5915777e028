import {
  type CacheEntry,
  type CacheIndex,
  CacheIndexError,
  type CacheMatch,
  type IndexScope,
  isTtlTier,
  isUuid,
  type PrefixHash,
} from "@switchyard/core";
import type { Knex } from "knex";
import { PostgresStoreOptionsError } from "./errors.js";
import { errorMessage, type RoutesLogger } from "./logger.js";
import {
  type CacheIndexTableNames,
  type CacheIndexTableOptions,
  cacheIndexTableNames,
} from "./names.js";
import { checkKnex, checkLogger } from "./options.js";

/** Bytes of a prefix hash (SHA-256); the table checks it. */
export const PREFIX_HASH_BYTES = 32;
/** The largest value of the `cumulative_token_count integer` column. */
export const TOKEN_COUNT_COLUMN_MAX = 2_147_483_647;
/** Default rows deleted per statement by `sweep`. */
export const DEFAULT_SWEEP_BATCH_SIZE = 1000;

export interface PostgresCacheIndexOptions extends CacheIndexTableOptions {
  /** Your knex instance (client `pg`). The index runs its queries on it and never destroys it. */
  knex: Knex;
  /** Receives warnings: clamped token counts, skipped malformed rows, writes for non-UUID principals. Default: `console.warn`. */
  logger?: RoutesLogger;
  /** Rows `sweep` deletes per statement (each statement its own short transaction). Default 1000. */
  sweepBatchSize?: number;
}

/** Per-call options of {@link PostgresCacheIndex.sweep}. */
export interface SweepOptions {
  /** Rows deleted per statement. Default: the index's `sweepBatchSize`. */
  batchSize?: number;
}

interface EntryRow {
  prefix_hash: Uint8Array | string;
  cumulative_token_count: number | string;
  ttl_tier: string;
  expires_at: Date | string;
}

interface PgResult<R = unknown> {
  rows: R[];
  rowCount: number | null;
}

function batchSize(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new PostgresStoreOptionsError(`${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function isPrefixHash(value: unknown): value is PrefixHash {
  return value instanceof Uint8Array && value.byteLength === PREFIX_HASH_BYTES;
}

/** The bytes as a Buffer without copying (pg binds Buffers as bytea). */
function bytes(hash: PrefixHash): Buffer {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength);
}

function time(value: unknown): number {
  return value instanceof Date ? value.getTime() : Number.NaN;
}

/** A token count as the `integer` column holds it: 0..2147483647. */
export function tokenCountForColumn(count: number): number {
  if (Number.isNaN(count)) return 0;
  return Math.min(TOKEN_COUNT_COLUMN_MAX, Math.max(0, Math.trunc(count)));
}

/** A bytea as pg returns it (a Buffer), or in text form (`\x…`) when a caller replaced the type parser. */
function hashFromColumn(value: Uint8Array | string): Uint8Array | undefined {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (typeof value === "string" && /^\\x[0-9a-f]*$/i.test(value)) {
    return new Uint8Array(Buffer.from(value.slice(2), "hex"));
  }
  return undefined;
}

/**
 * The prompt-prefix `CacheIndex` on PostgreSQL, over the `prompt_cache_entries`
 * table that `migrate(knex, options)` creates (with the same `schema` /
 * `tablePrefix`). A lookup is one round trip on the unique btree; writes are
 * upserts; `sweep` deletes expired rows in bounded batches. All values are
 * bound parameters. Backend failures reject with `CacheIndexError` (cause:
 * the driver error), which callers treat as "no cache".
 */
export class PostgresCacheIndex implements CacheIndex {
  readonly #knex: Knex;
  readonly #names: CacheIndexTableNames;
  readonly #logger: RoutesLogger;
  readonly #sweepBatchSize: number;
  readonly #sql: { lookup: string; write: string; refresh: string; sweep: string };
  #warnedNonUuid = false;

  constructor(options: PostgresCacheIndexOptions) {
    this.#knex = checkKnex(options?.knex, "PostgresCacheIndex");
    this.#names = cacheIndexTableNames(options);
    this.#logger = checkLogger(options.logger);
    this.#sweepBatchSize =
      options.sweepBatchSize === undefined
        ? DEFAULT_SWEEP_BATCH_SIZE
        : batchSize(options.sweepBatchSize, "sweepBatchSize");
    // The table name is validated and quoted once; every value stays a bound parameter.
    const table = this.#knex.raw("??", [this.#names.qualifiedTable]).toQuery();
    const scope = "principal_id = ? AND virtual_model = ? AND tokenizer_version = ?";
    const sql = {
      lookup: `SELECT prefix_hash, cumulative_token_count, ttl_tier, expires_at FROM ${table}
        WHERE ${scope} AND prefix_hash = ANY(?::bytea[]) AND expires_at > now()`,
      write: `INSERT INTO ${table}
          (principal_id, virtual_model, tokenizer_version, prefix_hash, cumulative_token_count, ttl_tier, expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (principal_id, virtual_model, tokenizer_version, prefix_hash) DO UPDATE SET
          cumulative_token_count = EXCLUDED.cumulative_token_count,
          ttl_tier = EXCLUDED.ttl_tier,
          expires_at = EXCLUDED.expires_at`,
      refresh: `UPDATE ${table} SET expires_at = ? WHERE ${scope} AND prefix_hash = ?`,
      sweep: `DELETE FROM ${table} WHERE id IN (
          SELECT id FROM ${table} WHERE expires_at < LEAST(?::timestamptz, now())
          LIMIT ? FOR UPDATE SKIP LOCKED)`,
    };
    // One line each: knex puts the statement into its error messages.
    const line = (text: string) => text.replace(/\s+/g, " ");
    this.#sql = {
      lookup: line(sql.lookup),
      write: line(sql.write),
      refresh: line(sql.refresh),
      sweep: line(sql.sweep),
    };
  }

  /** The table and index names this index uses. */
  get names(): CacheIndexTableNames {
    return this.#names;
  }

  /**
   * The live entries (`expires_at > now()` on the server) of this scope among
   * the candidates, in one query. No query at all for an empty list, for a
   * principal id that is not a UUID (the column is `uuid`: nothing can match)
   * or when no candidate is 32 bytes.
   */
  async lookup(scope: IndexScope, candidates: readonly PrefixHash[]): Promise<CacheMatch[]> {
    if (candidates.length === 0 || !isUuid(scope.principalId)) return [];
    const hashes: Buffer[] = [];
    for (const candidate of candidates) if (isPrefixHash(candidate)) hashes.push(bytes(candidate));
    if (hashes.length === 0) return [];
    const result = await this.#run<EntryRow>("lookup", this.#sql.lookup, [
      scope.principalId,
      scope.virtualModel,
      scope.tokenizerVersion,
      hashes,
    ]);
    const matches: CacheMatch[] = [];
    for (const row of result.rows) {
      const match = this.#decode(row, scope);
      if (match) matches.push(match);
    }
    return matches;
  }

  /**
   * Upsert on (scope, hash): a rewrite replaces count, tier and expiry
   * (`created_at` stays). Rejects with `CacheIndexError`, without a query,
   * for a hash that is not 32 bytes, an unknown tier or an invalid date. The
   * count is clamped to the int column (logged). A principal id that is not
   * a UUID cannot be stored: the write is skipped (logged once).
   */
  async write(entry: CacheEntry): Promise<void> {
    const hash: unknown = entry?.prefixHash;
    if (!isPrefixHash(hash)) {
      throw new CacheIndexError(
        `postgres cache index: write needs a ${PREFIX_HASH_BYTES}-byte prefixHash, got ${hash instanceof Uint8Array ? `${hash.byteLength} bytes` : typeof hash}`,
      );
    }
    if (!isTtlTier(entry.ttlTier)) {
      throw new CacheIndexError(
        `postgres cache index: write needs ttlTier "5m", "1h" or "24h", got ${JSON.stringify(entry.ttlTier)}`,
      );
    }
    if (!Number.isFinite(time(entry.expiresAt))) {
      throw new CacheIndexError("postgres cache index: write needs expiresAt as a valid Date");
    }
    const { scope } = entry;
    if (!isUuid(scope.principalId)) {
      this.#nonUuidPrincipal(scope.principalId);
      return;
    }
    await this.#run("write", this.#sql.write, [
      scope.principalId,
      scope.virtualModel,
      scope.tokenizerVersion,
      bytes(hash),
      this.#count(entry.cumulativeTokenCount, scope),
      entry.ttlTier,
      entry.expiresAt,
    ]);
  }

  /**
   * Sets the entry's `expires_at` (the sliding window: callers pass now +
   * tier). A missing entry, a hash that is not 32 bytes or a principal id
   * that is not a UUID is a no-op (the last two without a query).
   */
  async refresh(scope: IndexScope, prefixHash: PrefixHash, newExpiresAt: Date): Promise<void> {
    if (!Number.isFinite(time(newExpiresAt))) {
      throw new CacheIndexError("postgres cache index: refresh needs newExpiresAt as a valid Date");
    }
    if (!isPrefixHash(prefixHash) || !isUuid(scope.principalId)) return;
    await this.#run("refresh", this.#sql.refresh, [
      newExpiresAt,
      scope.principalId,
      scope.virtualModel,
      scope.tokenizerVersion,
      bytes(prefixHash),
    ]);
  }

  /**
   * Deletes the rows that expired before `olderThan` (`expires_at <
   * least(olderThan, now())`: a cutoff in the future never deletes a live
   * row), in every scope, `batchSize` rows per statement, until a statement
   * deletes fewer. Each statement is its own short transaction and skips rows
   * another transaction holds locked. Returns how many rows it deleted.
   */
  async sweep(olderThan: Date, options: SweepOptions = {}): Promise<number> {
    if (!Number.isFinite(time(olderThan))) {
      throw new CacheIndexError("postgres cache index: sweep needs olderThan as a valid Date");
    }
    const size =
      options.batchSize === undefined
        ? this.#sweepBatchSize
        : batchSize(options.batchSize, "sweep batchSize");
    let total = 0;
    for (;;) {
      const result = await this.#run("sweep", this.#sql.sweep, [olderThan, size]);
      const deleted = result.rowCount ?? 0;
      total += deleted;
      if (deleted < size) return total;
    }
  }

  async #run<R>(operation: string, sql: string, bindings: unknown[]): Promise<PgResult<R>> {
    try {
      return (await this.#knex.raw(sql, bindings as Knex.RawBinding[])) as PgResult<R>;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const table = this.#names.qualifiedTable;
      const hint =
        code === "42P01" || code === "3F000"
          ? ` (table ${table} does not exist: run migrate(knex, { schema, tablePrefix }) first)`
          : "";
      throw new CacheIndexError(
        `postgres cache index: ${operation} on ${table} failed: ${errorMessage(error)}${hint}`,
        { cause: error },
      );
    }
  }

  #decode(row: EntryRow, scope: IndexScope): CacheMatch | undefined {
    const prefixHash = hashFromColumn(row.prefix_hash);
    const expiresAt = row.expires_at instanceof Date ? row.expires_at : new Date(row.expires_at);
    const count = Number(row.cumulative_token_count);
    if (
      prefixHash === undefined ||
      !isTtlTier(row.ttl_tier) ||
      Number.isNaN(expiresAt.getTime()) ||
      !Number.isFinite(count)
    ) {
      this.#logger.warn(
        `postgres cache index: skipping a row of ${this.#names.qualifiedTable} that does not decode (a miss for that prefix)`,
        {
          principalId: scope.principalId,
          virtualModel: scope.virtualModel,
          ttlTier: row.ttl_tier,
          expiresAt: String(row.expires_at),
        },
      );
      return undefined;
    }
    return {
      prefixHash,
      cumulativeTokenCount: Math.max(0, count),
      ttlTier: row.ttl_tier,
      expiresAt,
    };
  }

  #count(count: number, scope: IndexScope): number {
    const stored = tokenCountForColumn(count);
    if (stored !== count) {
      this.#logger.warn(
        `postgres cache index: cumulativeTokenCount ${String(count)} does not fit the int column; stored as ${stored}`,
        { principalId: scope.principalId, cumulativeTokenCount: count, stored },
      );
    }
    return stored;
  }

  #nonUuidPrincipal(principalId: unknown): void {
    if (this.#warnedNonUuid) return;
    this.#warnedNonUuid = true;
    this.#logger.warn(
      `postgres cache index: principal id ${JSON.stringify(principalId)} is not a UUID (column principal_id is uuid); writes for such principals are skipped and their lookups miss. Warned once per index.`,
      { principalId },
    );
  }
}

/** Creates a {@link PostgresCacheIndex}. */
export function createPostgresCacheIndex(options: PostgresCacheIndexOptions): PostgresCacheIndex {
  return new PostgresCacheIndex(options);
}
