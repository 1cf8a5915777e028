import { migrate } from "@switchyard/store-postgres";
import createKnex, { type Knex } from "knex";

/** One knex pool shared by the route store and the prompt-prefix index. */
export interface Database {
  readonly knex: Knex;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Connects and runs the migrations (both tables: `routes` and
 * `prompt_cache_entries`; idempotent, so every replica may run them).
 */
export async function openDatabase(url: string): Promise<Database> {
  const knex: Knex = createKnex({ client: "pg", connection: url, pool: { min: 0, max: 16 } });
  try {
    await migrate(knex);
  } catch (error) {
    await knex.destroy();
    throw error;
  }
  return {
    knex,
    ping: () =>
      knex.raw("select 1").then(
        () => true,
        () => false,
      ),
    close: () => knex.destroy(),
  };
}
