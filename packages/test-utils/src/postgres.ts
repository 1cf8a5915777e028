import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseUrl } from "./services.js";

/** A database of its own for one test file, on the run's shared PostgreSQL server. */
export interface TestDatabase {
  /** Connection URL of the new database (same server, user and options as DATABASE_URL). */
  readonly url: string;
  /** Its name, `<prefix>_<random hex>`. */
  readonly name: string;
  /** Drops the database, ending any connection still open to it. Idempotent. */
  drop(): Promise<void>;
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh, empty database on the DATABASE_URL server (the role needs
 * CREATEDB), so test files can run in parallel without seeing each other's
 * rows. Call `drop()` in `afterAll`, after closing your own connections.
 */
export async function createTestDatabase(options: { prefix?: string } = {}): Promise<TestDatabase> {
  const prefix = options.prefix ?? "sy_test";
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) {
    throw new Error(`createTestDatabase: prefix must match [a-z_][a-z0-9_]{0,40}, got "${prefix}"`);
  }
  const serverUrl = databaseUrl();
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await onServer(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}
