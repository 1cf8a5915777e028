import { randomBytes } from "node:crypto";
import createKnex, { type Knex } from "knex";

/** Runs `work` on a database of its own on the DATABASE_URL server, dropped afterwards. */
export async function withScratchDatabase<T>(
  serverUrl: string,
  work: (knex: Knex) => Promise<T>,
): Promise<T> {
  const name = `sy_bench_prefix_${randomBytes(4).toString("hex")}`;
  const admin = createKnex({ client: "pg", connection: serverUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`CREATE DATABASE "${name}"`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const knex = createKnex({ client: "pg", connection: url.toString(), pool: { min: 1, max: 4 } });
    try {
      return await work(knex);
    } finally {
      await knex.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await admin.destroy();
  }
}

/**
 * Fills the table with `rows` live entries of other principals (a few models,
 * one tokenizer), so the lookup has to find its rows through the btree.
 */
export async function seedOtherPrincipals(knex: Knex, rows: number): Promise<void> {
  await knex.raw(
    `INSERT INTO prompt_cache_entries
       (principal_id, virtual_model, tokenizer_version, prefix_hash, cumulative_token_count, ttl_tier, expires_at)
     SELECT md5((i / 40)::text)::uuid, 'model-' || (i % 3), 'gpt-tokenizer@4.0.0:o200k_base',
            sha256(i::text::bytea), 1024 + i % 50000, CASE WHEN i % 4 = 0 THEN '1h' ELSE '5m' END,
            now() + interval '1 hour'
     FROM generate_series(1, ?) AS i`,
    [rows],
  );
  await knex.raw("ANALYZE prompt_cache_entries");
}
