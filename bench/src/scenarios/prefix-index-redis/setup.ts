import { randomBytes, randomUUID } from "node:crypto";
import type { CacheEntry, CacheIndex, IndexScope, PrefixHash } from "@switchyard/core";
import { RedisAcceleratedIndex } from "@switchyard/prefix-index-redis";
import { migrate, PostgresCacheIndex } from "@switchyard/store-postgres";
import Redis from "ioredis";
import createKnex, { type Knex } from "knex";

export interface Counted {
  readonly index: CacheIndex;
  readonly calls: { lookup: number; refresh: number; write: number };
}

/** Counts the baseline's calls, so the accelerator's savings are measured, not assumed. */
export function counted(inner: CacheIndex): Counted {
  const calls = { lookup: 0, refresh: 0, write: 0 };
  return {
    calls,
    index: {
      lookup: (s, c) => {
        calls.lookup++;
        return inner.lookup(s, c);
      },
      write: (e) => {
        calls.write++;
        return inner.write(e);
      },
      refresh: (s, h, at) => {
        calls.refresh++;
        return inner.refresh(s, h, at);
      },
    },
  };
}

export interface Fixture {
  readonly knex: Knex;
  readonly redis: Redis;
  readonly postgres: PostgresCacheIndex;
  readonly baseline: Counted;
  readonly accelerator: RedisAcceleratedIndex;
  readonly scope: IndexScope;
  readonly stored: PrefixHash[];
  close(): Promise<void>;
}

export const hash = (): PrefixHash => new Uint8Array(randomBytes(32));

export function entry(scope: IndexScope, prefixHash: PrefixHash, inMs = 3_600_000): CacheEntry {
  return {
    scope,
    prefixHash,
    cumulativeTokenCount: 4_096,
    ttlTier: "1h",
    expiresAt: new Date(Date.now() + inMs),
  };
}

/** Postgres (migrated), Redis, both indexes, and `entries` entries written through the accelerator. */
export async function setUp(entries: number): Promise<Fixture> {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) {
    throw new Error(
      "prefix-index-redis needs DATABASE_URL and REDIS_URL (the root `bench` script starts both)",
    );
  }
  const knex = createKnex({ client: "pg", connection: databaseUrl, pool: { min: 1, max: 16 } });
  await migrate(knex);
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  await redis.connect();
  const postgres = new PostgresCacheIndex({ knex });
  const baseline = counted(postgres);
  const accelerator = new RedisAcceleratedIndex({
    baseline: baseline.index,
    redis,
    keyPrefix: `sy:bench:${Date.now().toString(36)}:`,
    commandTimeoutMs: 250,
  });
  const scope = {
    principalId: randomUUID(),
    virtualModel: "bench-model",
    tokenizerVersion: "bench@1",
  };
  const stored = Array.from({ length: entries }, hash);
  for (const h of stored) await accelerator.write(entry(scope, h));
  return {
    knex,
    redis,
    postgres,
    baseline,
    accelerator,
    scope,
    stored,
    async close() {
      await accelerator.close();
      redis.disconnect();
      await knex.destroy();
    },
  };
}
