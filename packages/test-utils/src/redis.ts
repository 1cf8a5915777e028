import { randomBytes } from "node:crypto";
import { RespClient } from "./resp.js";
import { redisUrl } from "./services.js";

/** A Redis namespace of its own for one test file, on the run's shared Redis server. */
export interface TestRedisNamespace {
  /** REDIS_URL with this namespace's logical database selected (`redis://host:port/<db>`). */
  readonly url: string;
  /** The logical database index (1..databases-1; 0 holds the allocation counter). */
  readonly db: number;
  /** A key prefix unique to this namespace, e.g. `sy-test:3f9a1c2b:`. */
  readonly prefix: string;
  /** `prefix + name`. */
  key(name: string): string;
  /** Deletes every key under the prefix in this database; returns how many. */
  cleanup(): Promise<number>;
}

const COUNTER_KEY = "switchyard:test:next-db";

async function databaseCount(client: RespClient): Promise<number> {
  try {
    const reply = await client.command("CONFIG", "GET", "databases");
    const count = Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
    return Number.isInteger(count) && count > 1 ? count : 16;
  } catch {
    return 16; // CONFIG may be disabled on a managed server
  }
}

/**
 * Takes a logical database (round-robin over the server's databases, so
 * parallel files rarely share one) and a random key prefix (so they never
 * collide even when they do). Use `url` for your client and `cleanup()` in
 * `afterAll`.
 */
export async function createRedisNamespace(): Promise<TestRedisNamespace> {
  const serverUrl = redisUrl();
  const client = await RespClient.connect(serverUrl);
  let db: number;
  try {
    const databases = await databaseCount(client);
    const ticket = Number(await client.command("INCR", COUNTER_KEY));
    db = 1 + ((ticket - 1) % (databases - 1));
  } finally {
    await client.close();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${db}`;
  const prefix = `sy-test:${randomBytes(4).toString("hex")}:`;
  return {
    url: url.toString(),
    db,
    prefix,
    key: (name) => prefix + name,
    async cleanup() {
      const cleaner = await RespClient.connect(url.toString());
      let removed = 0;
      try {
        let cursor = "0";
        do {
          const reply = await cleaner.command("SCAN", cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
          const [next, keys] = reply as [string, string[]];
          cursor = next;
          if (keys.length > 0) removed += Number(await cleaner.command("UNLINK", ...keys));
        } while (cursor !== "0");
      } finally {
        await cleaner.close();
      }
      return removed;
    },
  };
}
