import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, RedisProcess, type TestDatabase } from "@switchyard/test-utils";
import createKnex, { type Knex } from "knex";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../src/config/validate-config.js";
import { type Gateway, startGateway } from "../src/gateway.js";
import { MockUpstream } from "../src/mock/mock-upstream.js";
import { KEY_A, KEY_B, ORG_B, testConfig } from "./helpers/harness.js";
import { bearer, call, type Reply, routesApi } from "./helpers/http.js";
import { parsePrometheus } from "./helpers/prometheus.js";
import { childEnv, type SpawnedGateway, spawnGateway } from "./helpers/spawn-gateway.js";
import { waitFor } from "./helpers/wait.js";

/**
 * Two gateway processes (this test process and a child running src/main.ts)
 * on one Postgres database and one Redis: the prefix index and the routes
 * are shared; Redis is a redis-server of this file's own, killed and
 * restarted mid-run (never the run's shared one).
 */

let db: TestDatabase;
let redis: RedisProcess;
let mock: MockUpstream;
let a: Gateway;
let b: SpawnedGateway;
let knex: Knex;

// Above the test models' 32-token floor on its own.
const SYSTEM =
  "You are the front desk of a small hotel. You answer questions about check-in times, breakfast, parking and late arrivals. Keep answers to two sentences, never confirm a booking yourself, and send guests to the reception phone line for payments, refunds and special requests. Check-in starts at three, breakfast is served from seven to ten, and the garage closes at midnight.";

beforeAll(async () => {
  db = await createTestDatabase({ prefix: "sy_gateway_fleet" });
  redis = await RedisProcess.start();
  mock = await MockUpstream.start();
  const raw = testConfig(mock, {
    // A long route TTL: only the change feed can make an edit visible in time.
    route_store: { database_url: db.url, cache_ttl_ms: 3_600_000 },
    // Refreshes reach Postgres only through shutdown's flush (or a minute later).
    prompt_cache: { redis_url: redis.url, redis_flush_interval_ms: 60_000 },
    log: { level: "warn" },
  });
  a = await startGateway(validateConfig(raw, { source: "test", env: {} }), {
    logger: pino({ level: "silent" }),
  });
  const file = join(tmpdir(), `switchyard-fleet-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(raw));
  b = await spawnGateway(["--config", file], childEnv());
  knex = createKnex({ client: "pg", connection: db.url, pool: { min: 0, max: 2 } });
}, 60_000);

afterAll(async () => {
  await b?.stop();
  await a?.close();
  await knex?.destroy();
  await mock?.close();
  await redis?.kill();
  await db?.drop();
}, 30_000);

let seq = 0;
/** An Anthropic request with a breakpoint on its last message; `topic` makes the prefix unique. */
function ask(url: string, topic: string, key = KEY_A): Promise<Reply> {
  return call(
    `${url}/v1/messages`,
    "POST",
    {
      model: "cached-claude",
      max_tokens: 100,
      system: SYSTEM,
      messages: [
        {
          role: "user",
          content: [
            {
              type: "text",
              text: `About ${topic}: what should I know?`,
              cache_control: { type: "ephemeral" },
            },
          ],
        },
      ],
    },
    bearer(key),
  );
}

const usage = (reply: Reply) => reply.json.usage as Record<string, number>;

async function metricsOf(url: string) {
  return parsePrometheus((await call(`${url}/metrics`, "GET")).text);
}

/** Waits until a gateway (in this process or the child) has committed `n` more prefix-cache writes. */
async function commitsOf(url: string): Promise<number> {
  return (await metricsOf(url)).value("switchyard_prompt_cache_commits_total", {
    result: "committed",
  });
}

/** The commit count once the commits still in flight (e.g. earlier reads' refreshes) have landed. */
async function settledCommits(url: string): Promise<number> {
  let last = await commitsOf(url);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await commitsOf(url);
    if (now === last) return now;
    last = now;
  }
}

/** Writes a new prefix through `writer` and reads it through `reader`. */
async function writeThenRead(writer: string, reader: string, label: string): Promise<void> {
  const topic = `${label} ${++seq}`;
  const before = await settledCommits(writer);
  const first = await ask(writer, topic);
  expect(first.status, first.text).toBe(200);
  expect(usage(first).cache_creation_input_tokens).toBeGreaterThan(0);
  await waitFor(async () => (await commitsOf(writer)) > before, 5_000, "the writer's commit");
  const second = await ask(reader, topic);
  expect(second.status, second.text).toBe(200);
  expect(usage(second).cache_read_input_tokens, `${label}: read through the other process`).toBe(
    usage(first).cache_creation_input_tokens,
  );
  expect(usage(second).cache_creation_input_tokens).toBe(0);
}

describe("a fleet of two gateway processes on one Postgres and one Redis", () => {
  it("both run the Postgres route store and the Redis-accelerated Postgres prefix index", async () => {
    for (const url of [a.url, b.url]) {
      const ready = await call(`${url}/readyz`, "GET");
      expect(ready.json).toMatchObject({
        status: "ready",
        route_store: { kind: "postgres", ok: true },
        prompt_cache: { index: "postgres+redis", redis_breaker: "closed" },
      });
      const m = await metricsOf(url);
      expect(m.value("switchyard_prompt_cache_redis_breaker_state", { state: "closed" })).toBe(1);
    }
  });

  it("a prefix written through one process is read through the other, both ways", async () => {
    await writeThenRead(a.url, b.url, "a to b");
    await writeThenRead(b.url, a.url, "b to a");
    // Answered by Redis in steady state: the reader's lookups hit it.
    expect(
      (await metricsOf(a.url)).value("switchyard_prompt_cache_redis_hits_total"),
    ).toBeGreaterThan(0);
  });

  it("route changes propagate through the change feed", async () => {
    const created = await routesApi(a.url, KEY_A).create({
      name: "fleet-route",
      when: { model_in: ["gpt-a"] },
      then: { target_model: "gpt-b" },
    });
    expect(created.status).toBe(201);
    await waitFor(
      async () =>
        (
          await call(
            `${b.url}/v1/chat/completions`,
            "POST",
            { model: "gpt-a", messages: [{ role: "user", content: "hi" }] },
            bearer(KEY_A),
          )
        ).headers.get("x-switchyard-route") === "fleet-route",
      1_000,
      "the route applying in the other process",
    );
    await routesApi(a.url, KEY_A).clear();
  });

  it("Redis stopped mid-run: no request fails, accounting continues from Postgres, and recovers", async () => {
    // Warm prefixes, known to Redis.
    const warm = `warm ${++seq}`;
    const beforeWarm = await settledCommits(a.url);
    const written = usage(await ask(a.url, warm)).cache_creation_input_tokens as number;
    expect(written).toBeGreaterThan(0);
    await waitFor(async () => (await commitsOf(a.url)) > beforeWarm);

    await redis.kill();
    const replies: Reply[] = [];
    for (let i = 0; i < 10; i++) {
      replies.push(await ask(i % 2 === 0 ? a.url : b.url, warm));
      replies.push(
        await call(
          `${b.url}/v1/chat/completions`,
          "POST",
          { model: "gpt-a", messages: [{ role: "user", content: `plain ${i}` }] },
          bearer(KEY_A),
        ),
      );
    }
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    // The warm prefix is still read, now from Postgres.
    for (const reply of replies.filter((r) => r.json.type === "message")) {
      expect(usage(reply).cache_read_input_tokens).toBe(written);
    }
    // New prefixes written while Redis is away are shared through Postgres.
    await writeThenRead(b.url, a.url, "outage b to a");
    await writeThenRead(a.url, b.url, "outage a to b");
    const during = await metricsOf(a.url);
    expect(during.value("switchyard_prompt_cache_redis_breaker_state", { state: "closed" })).toBe(
      0,
    );
    expect(during.value("switchyard_prompt_cache_redis_baseline_fallbacks_total")).toBeGreaterThan(
      0,
    );
    expect(
      during.value("switchyard_prompt_cache_classifications_total", { outcome: "index_error" }),
    ).toBe(0);

    // Back (empty, no persistence): the breakers close again and what was written meanwhile is found.
    await redis.resume();
    for (const url of [a.url, b.url]) {
      await waitFor(
        async () => {
          await ask(url, warm); // traffic drives the probes
          return (
            (await metricsOf(url)).value("switchyard_prompt_cache_redis_breaker_state", {
              state: "closed",
            }) === 1
          );
        },
        20_000,
        "the Redis breaker closing again",
      );
    }
    await writeThenRead(a.url, b.url, "after recovery");
    expect(usage(await ask(b.url, warm)).cache_read_input_tokens).toBe(written);
  }, 60_000);

  it("SIGTERM stops the child cleanly (exit 0)", async () => {
    expect(await b.stop()).toBe(0);
  });

  it("shutdown flushes the refreshes still pending for Postgres", async () => {
    // ORG_B's only entry: written now, read (refreshed) later, then the gateway shuts down.
    const expiry = async () =>
      (
        await knex("prompt_cache_entries")
          .where({ principal_id: ORG_B })
          .max("expires_at as at")
          .first()
      )?.at as Date;
    const before = await settledCommits(a.url);
    await ask(a.url, "late arrival", KEY_B);
    await waitFor(async () => (await commitsOf(a.url)) > before);
    const written = (await expiry()).getTime();

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const readAt = Date.now();
    const read = await ask(a.url, "late arrival", KEY_B);
    expect(usage(read).cache_read_input_tokens).toBeGreaterThan(0);
    await waitFor(async () => (await commitsOf(a.url)) > before + 1);
    const stats = a.services.promptCache.redisStats?.();
    // In Redis already, not yet in Postgres (earlier tests' reads are pending too).
    expect(stats?.pendingRefreshes).toBeGreaterThanOrEqual(1);
    expect((await expiry()).getTime()).toBe(written);

    await a.close();
    expect(a.services.promptCache.redisStats?.().pendingRefreshes).toBe(0);
    const flushed = (await expiry()).getTime();
    expect(flushed).toBeGreaterThanOrEqual(readAt + 5 * 60_000 - 1_000);
    expect(flushed - written).toBeGreaterThanOrEqual(1_000);
  });
});
