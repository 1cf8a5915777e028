import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseUrl, type TestDatabase } from "../src/index.js";

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const result = await query(
    databaseUrl(),
    `SELECT 1 FROM pg_database WHERE datname = '${name.replace(/'/g, "''")}'`,
  );
  return result.rowCount === 1;
}

describe("createTestDatabase", () => {
  const created: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of created) await db.drop();
  });

  it("connects to a real PostgreSQL server", async () => {
    const result = await query(databaseUrl(), "SELECT version() AS version");
    expect(result.rows[0].version).toMatch(/^PostgreSQL \d+/);
  });

  it("gives every caller its own empty database on the shared server", async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    created.push(a, b);
    expect(a.name).not.toBe(b.name);
    expect((await query(a.url, "SELECT current_database() AS db")).rows[0].db).toBe(a.name);
    await query(a.url, "CREATE TABLE only_in_a (id int)");
    const inB = await query(b.url, "SELECT to_regclass('only_in_a') AS t");
    expect(inB.rows[0].t).toBeNull();
  });

  it("drop removes the database even while a connection to it is open", async () => {
    const db = await createTestDatabase({ prefix: "sy_drop" });
    const open = new pg.Client({ connectionString: db.url });
    open.on("error", () => {});
    await open.connect();
    expect(await databaseExists(db.name)).toBe(true);
    await db.drop();
    expect(await databaseExists(db.name)).toBe(false);
    await open.end().catch(() => {});
  });

  it("rejects a prefix that is not a safe identifier", async () => {
    await expect(createTestDatabase({ prefix: 'x"; drop' })).rejects.toThrow(/prefix must match/);
  });
});
