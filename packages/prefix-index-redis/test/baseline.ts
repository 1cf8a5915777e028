import { migrate, PostgresCacheIndex } from "@switchyard/store-postgres";
import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import createKnex, { type Knex } from "knex";
import { afterAll, beforeAll } from "vitest";

/**
 * The real baseline for this test file: a fresh Postgres database (migrated)
 * and `PostgresCacheIndex` instances on it. Knex instances are destroyed and
 * the database dropped after the file.
 */
export function usePostgresBaseline(): {
  baseline(): PostgresCacheIndex;
  queries(): number;
} {
  let db: TestDatabase | undefined;
  let knex: Knex | undefined;
  let queries = 0;
  beforeAll(async () => {
    db = await createTestDatabase({ prefix: "sy_pi_redis" });
    knex = createKnex({ client: "pg", connection: db.url, pool: { min: 0, max: 8 } });
    knex.on("query", () => {
      queries++;
    });
    await migrate(knex);
  });
  afterAll(async () => {
    await knex?.destroy();
    await db?.drop();
  });
  return {
    baseline() {
      if (!knex) throw new Error("usePostgresBaseline: only inside hooks and tests");
      return new PostgresCacheIndex({ knex, logger: { warn() {} } });
    },
    queries: () => queries,
  };
}
