import { randomUUID } from "node:crypto";
import type { NewRoute } from "@switchyard/core";
import { migrate, PostgresRoutingStore } from "@switchyard/store-postgres";
import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import createKnex, { type Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CachingRoutingStore } from "../src/index.js";

let db: TestDatabase;
const opened: Knex[] = [];
const connect = () => {
  const k = createKnex({ client: "pg", connection: db.url, pool: { min: 0, max: 3 } });
  opened.push(k);
  return k;
};

beforeAll(async () => {
  db = await createTestDatabase({ prefix: "sy_cache_l1" });
  await migrate(connect());
});
afterAll(async () => {
  for (const k of opened) await k.destroy();
  await db?.drop();
});

const newRoute = (name: string): NewRoute => ({
  name,
  priority: 100,
  enabled: true,
  when: { model_in: [], input_tokens_lt: null, input_tokens_gt: null, tag_equals: null },
  then: { target_model: "gpt-4o-mini" },
});

async function within<T>(ms: number, probe: () => Promise<T>, done: (value: T) => boolean) {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value)) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not converged within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("CachingRoutingStore over Postgres, two connections", () => {
  it("a route created through another connection is used by engineFor within one second (change feed)", async () => {
    const org = randomUUID();
    const writer = new PostgresRoutingStore({ knex: connect() });
    const readerStore = new PostgresRoutingStore({ knex: connect() });
    const cache = new CachingRoutingStore(readerStore, {
      ttlMs: 3_600_000,
      changeFeed: readerStore,
    });
    await cache.ready();
    expect((await cache.engineFor(org)).routes).toHaveLength(0);

    await writer.createRoute(org, newRoute("from-elsewhere"));
    const elapsed = await within(
      1_000,
      () => cache.engineFor(org),
      (e) => e.routes.length === 1,
    );
    expect(elapsed).toBeLessThanOrEqual(1_000);
    expect((await cache.engineFor(org)).findByName("from-elsewhere")).toBeDefined();

    await cache.close();
    await readerStore.close();
  });

  it("with the feed disconnected, the TTL still converges", async () => {
    const org = randomUUID();
    const writer = new PostgresRoutingStore({ knex: connect() });
    const readerStore = new PostgresRoutingStore({ knex: connect() });
    const cache = new CachingRoutingStore(readerStore, {
      ttlMs: 400,
      jitter: 0,
      changeFeed: readerStore,
    });
    await cache.ready();
    await readerStore.close(); // the feed is gone: no event will arrive
    expect((await cache.engineFor(org)).routes).toHaveLength(0);

    await writer.createRoute(org, newRoute("late"));
    expect((await cache.engineFor(org)).routes).toHaveLength(0); // still cached: no push
    const elapsed = await within(
      2_000,
      () => cache.engineFor(org),
      (e) => e.routes.length === 1,
    );
    expect(elapsed).toBeGreaterThan(100);
    await cache.close();
  });
});
