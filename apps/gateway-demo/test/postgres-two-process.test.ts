import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../src/config/validate-config.js";
import { type Gateway, startGateway } from "../src/gateway.js";
import { MockUpstream } from "../src/mock/mock-upstream.js";
import { KEY_A, testConfig } from "./helpers/harness.js";
import { bearer, call, chat, routesApi } from "./helpers/http.js";
import { childEnv, type SpawnedGateway, spawnGateway } from "./helpers/spawn-gateway.js";

let db: TestDatabase;
let mock: MockUpstream;
let inProcess: Gateway;
let child: SpawnedGateway;

let configFile: string | undefined;

beforeAll(async () => {
  db = await createTestDatabase({ prefix: "sy_gateway" });
  mock = await MockUpstream.start();
  // A long TTL: only the LISTEN/NOTIFY change feed can make an edit visible in time.
  const raw = testConfig(mock, {
    route_store: { database_url: db.url, cache_ttl_ms: 3_600_000 },
    log: { level: "warn" },
  });
  inProcess = await startGateway(validateConfig(raw, { source: "test", env: {} }), {
    logger: pino({ level: "silent" }),
  });
  configFile = join(tmpdir(), `switchyard-gateway-${process.pid}-${Date.now()}.json`);
  const file = configFile;
  writeFileSync(file, JSON.stringify(raw));
  child = await spawnGateway(["--config", file], childEnv({ DATABASE_URL: db.url }));
}, 60_000);

afterAll(async () => {
  await child?.stop();
  await inProcess?.close();
  await mock?.close();
  await db?.drop();
  if (configFile) rmSync(configFile, { force: true });
}, 30_000);

const routeOn = async (url: string) =>
  (
    await call(`${url}/v1/chat/completions`, "POST", chat("gpt-a", "hi"), bearer(KEY_A))
  ).headers.get("x-switchyard-route");

async function within(ms: number, probe: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`not converged within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("Postgres route store shared by two gateway processes", () => {
  it("both processes run on Postgres and start with no routes", async () => {
    expect(inProcess.services.routes.kind).toBe("postgres");
    const ready = await call(`${child.url}/readyz`, "GET");
    expect(ready.json.route_store).toEqual({ kind: "postgres", ok: true });
    expect(await routeOn(inProcess.url)).toBeNull();
    expect(await routeOn(child.url)).toBeNull(); // the child's engine for the org is now cached (TTL 1 h)
  });

  it("a route created through one process applies in the other within one second", async () => {
    const created = await routesApi(inProcess.url, KEY_A).create({
      name: "cross-process",
      then: { target_model: "gpt-b" },
    });
    expect(created.status).toBe(201);
    const elapsed = await within(1_000, async () => (await routeOn(child.url)) === "cross-process");
    expect(elapsed).toBeLessThan(1_000);
  });

  it("a change made in the second process (disable) applies in the first within one second", async () => {
    const api = routesApi(child.url, KEY_A);
    const [route] = (await api.list()).json.data;
    expect((await api.patch(route.id, { enabled: false })).status).toBe(200);
    await within(1_000, async () => (await routeOn(inProcess.url)) === null);
  });

  it("SIGTERM drains and exits 0", async () => {
    expect(await child.stop()).toBe(0);
  });
});
