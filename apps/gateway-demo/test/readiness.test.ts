import { createServer } from "node:net";
import { createPostgresRoutingStore, migrate } from "@switchyard/store-postgres";
import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import createKnex from "knex";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../src/config/validate-config.js";
import { type Gateway, startGateway } from "../src/gateway.js";
import { MockUpstream } from "../src/mock/mock-upstream.js";
import { KEY_A, ORG_A, startHarness, testConfig } from "./helpers/harness.js";
import { bearer, call, chat } from "./helpers/http.js";
import { parsePrometheus } from "./helpers/prometheus.js";
import { startTcpProxy, type TcpProxy, viaProxy } from "./helpers/tcp-proxy.js";

// Issue 14.8: readiness means "can serve". A dependency that is down is reported in the body
// and in switchyard_dependency_up, never as not-ready; only draining is 503.

const readyz = (url: string) => call(`${url}/readyz`, "GET");
const dependencyUp = async (url: string, dependency: string) =>
  parsePrometheus((await call(`${url}/metrics`, "GET")).text).value("switchyard_dependency_up", {
    dependency,
  });

describe("readiness with the route store (Postgres) down", () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let mock: MockUpstream;
  let gateway: Gateway;

  beforeAll(async () => {
    db = await createTestDatabase({ prefix: "sy_readyz" });
    // The route exists before the gateway listens for changes: no change notification is
    // still on its way when the test takes Postgres away (one would drop the cached engine).
    const knex = createKnex({ client: "pg", connection: db.url, pool: { min: 0, max: 1 } });
    try {
      await migrate(knex);
      await createPostgresRoutingStore({ knex }).createRoute(ORG_A, {
        name: "a-to-b",
        priority: 100,
        enabled: true,
        when: {
          model_in: ["gpt-a"],
          input_tokens_lt: null,
          input_tokens_gt: null,
          tag_equals: null,
        },
        then: { target_model: "gpt-b" },
      });
    } finally {
      await knex.destroy();
    }
    proxy = await startTcpProxy(db.url);
    mock = await MockUpstream.start();
    const raw = testConfig(mock, {
      route_store: { database_url: viaProxy(db.url, proxy), cache_ttl_ms: 200 },
    });
    gateway = await startGateway(validateConfig(raw, { source: "test", env: {} }), {
      logger: pino({ level: "silent" }),
    });
  }, 60_000);
  afterAll(async () => {
    await proxy?.start().catch(() => undefined); // so close() can flush and end cleanly
    await gateway?.close();
    await mock?.close();
    await db?.drop();
  }, 30_000);

  const complete = () =>
    call(`${gateway.url}/v1/chat/completions`, "POST", chat("gpt-a", "hi"), bearer(KEY_A));

  it("all up: 200 ready, every dependency up", async () => {
    const reply = await readyz(gateway.url);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      status: "ready",
      route_store: { kind: "postgres", ok: true },
      prompt_cache: { index: "postgres", ok: true },
      degraded: [],
    });
    expect(await dependencyUp(gateway.url, "route_store")).toBe(1);
    expect(await dependencyUp(gateway.url, "prompt_cache_index")).toBe(1);
  });

  it("Postgres gone: still 200 (requests are served), degradation in the body and the gauge", async () => {
    expect((await complete()).headers.get("x-switchyard-route")).toBe("a-to-b"); // engine in the L1

    await proxy.stop();
    const reply = await readyz(gateway.url);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      status: "degraded",
      route_store: { kind: "postgres", ok: false },
      prompt_cache: { index: "postgres", ok: false },
      degraded: ["route_store", "prompt_cache_index"],
    });
    expect(await dependencyUp(gateway.url, "route_store")).toBe(0);
    expect(await dependencyUp(gateway.url, "prompt_cache_index")).toBe(0);
    // Past the engine's TTL its reload fails: the last engine keeps serving (stale-if-error).
    await new Promise((resolve) => setTimeout(resolve, 400));
    const served = await complete();
    expect(served.status).toBe(200);
    expect(served.headers.get("x-switchyard-route")).toBe("a-to-b"); // still routed, from memory
    const metrics = parsePrometheus((await call(`${gateway.url}/metrics`, "GET")).text);
    expect(
      metrics.value("switchyard_l1_cache_stale_if_error_hits_total", { cache: "route_engines" }),
    ).toBeGreaterThan(0);

    await proxy.start();
    const back = await readyz(gateway.url);
    expect(back.status).toBe(200);
    expect(back.json.status).toBe("ready");
    expect(await dependencyUp(gateway.url, "route_store")).toBe(1);
  });

  it("draining is the one not-ready state: 503", async () => {
    gateway.services.draining = true;
    try {
      const reply = await readyz(gateway.url);
      expect(reply.status).toBe(503);
      expect(reply.json.status).toBe("draining");
    } finally {
      gateway.services.draining = false;
    }
  });
});

describe("readiness with Redis unreachable", () => {
  it("200 degraded, redis down in the body and the gauge, requests served", async () => {
    const port = await closedPort();
    const h = await startHarness({ prompt_cache: { redis_url: `redis://127.0.0.1:${port}` } });
    try {
      const reply = await readyz(h.url);
      expect(reply.status).toBe(200);
      expect(reply.json).toMatchObject({
        status: "degraded",
        route_store: { kind: "memory", ok: true },
        prompt_cache: { index: "memory+redis", ok: true, redis_connected: false },
        degraded: ["redis"],
      });
      expect(await dependencyUp(h.url, "redis")).toBe(0);
      expect(await dependencyUp(h.url, "route_store")).toBe(1);
      const served = await call(
        `${h.url}/v1/chat/completions`,
        "POST",
        chat("gpt-a", "hi"),
        bearer(KEY_A),
      );
      expect(served.status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
