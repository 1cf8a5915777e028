import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import createKnex, { type Knex } from "knex";
import { afterAll, beforeAll } from "vitest";
import type { RoutesLogger } from "../src/index.js";

const silent = { warn() {}, error() {}, debug() {}, deprecate() {} };

/** A knex instance on `url`; `quiet` drops knex's own console logging (for tests that fail on purpose). */
export function connect(url: string, poolMax = 4, quiet = false): Knex {
  return createKnex({
    client: "pg",
    connection: url,
    pool: { min: 0, max: poolMax },
    ...(quiet ? { log: silent } : {}),
  });
}

/**
 * Gives the test file its own database for its whole run, plus knex
 * instances on it that are destroyed (before the drop) in afterAll.
 */
export function useDatabase(): { db(): TestDatabase; knex(poolMax?: number): Knex } {
  let db: TestDatabase | undefined;
  const opened: Knex[] = [];
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: "sy_store_pg" });
  });
  afterAll(async () => {
    for (const k of opened) await k.destroy();
    await db?.drop();
  });
  const current = () => {
    if (!db) throw new Error("useDatabase: only available inside hooks and tests");
    return db;
  };
  return {
    db: current,
    knex(poolMax = 4) {
      const k = connect(current().url, poolMax);
      opened.push(k);
      return k;
    },
  };
}

interface RecordedWarning {
  message: string;
  context: Record<string, unknown>;
}

/** A logger that keeps what it was told. */
export function recordingLogger(): RoutesLogger & { warnings: RecordedWarning[] } {
  const warnings: RecordedWarning[] = [];
  return {
    warnings,
    warn(message, context = {}) {
      warnings.push({ message, context });
    },
  };
}

export async function waitUntil(
  check: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Counts the queries knex sends from now on (every pool connection). */
export function countQueries(knex: Knex): () => number {
  let count = 0;
  knex.on("query", () => {
    count++;
  });
  return () => count;
}

/** Records the SQL and bindings of every query knex sends from now on. */
export function recordQueries(knex: Knex): { sql: string; bindings: readonly unknown[] }[] {
  const seen: { sql: string; bindings: readonly unknown[] }[] = [];
  knex.on("query", (query: { sql: string; bindings?: readonly unknown[] }) => {
    seen.push({ sql: query.sql, bindings: query.bindings ?? [] });
  });
  return seen;
}
