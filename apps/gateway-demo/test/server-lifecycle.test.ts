import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call, chat } from "./helpers/http.js";

describe("health and readiness", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it("/healthz answers 200 without a key, with x-request-id", async () => {
    const reply = await call(`${h.url}/healthz`, "GET");
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: "ok" });
    expect(reply.headers.get("x-request-id")).toBeTruthy();
  });

  it("/readyz reports the dependencies", async () => {
    const reply = await call(`${h.url}/readyz`, "GET");
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      status: "ready",
      route_store: { kind: "memory", ok: true },
      prompt_cache: { index: "memory", ok: true },
      degraded: [],
    });
  });

  it("/v1/models needs a key", async () => {
    expect((await call(`${h.url}/v1/models`, "GET")).status).toBe(401);
    expect((await call(`${h.url}/v1/models`, "GET", undefined, bearer(KEY_A))).status).toBe(200);
  });
});

describe("client disconnects", () => {
  it("a client that goes away mid-stream aborts the upstream request", async () => {
    const h = await startHarness();
    const client = new OpenAI({ apiKey: KEY_A, baseURL: `${h.url}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: "slow-stream",
      stream: true,
      messages: [{ role: "user", content: "a b c d e f" }],
    });
    for await (const _chunk of stream) break; // leave after the first chunk
    const deadline = Date.now() + 2_000;
    while (h.mock.abandoned === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(h.mock.abandoned).toBe(1);
    await h.close();
  });

  it("a client that goes away before a non-streamed answer aborts the upstream request", async () => {
    const h = await startHarness();
    const client = new OpenAI({ apiKey: KEY_A, baseURL: `${h.url}/v1`, maxRetries: 0 });
    const controller = new AbortController();
    const started = Date.now();
    const reply = client.chat.completions.create(
      { model: "slow-5000", messages: [{ role: "user", content: "hi" }] },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 150);
    await expect(reply).rejects.toThrow();
    const deadline = Date.now() + 1_000;
    while (h.mock.abandoned === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(h.mock.abandoned).toBe(1);
    // Well before the 2 s headers timeout: the abort, not the timeout, ended it.
    expect(Date.now() - started).toBeLessThan(1_500);
    await h.close();
  });
});

describe("graceful shutdown", () => {
  it("in-flight requests finish, new connections are refused, pools and stores are closed", async () => {
    const h = await startHarness();
    const slow = call(
      `${h.url}/v1/chat/completions`,
      "POST",
      chat("slow-300", "hi"),
      bearer(KEY_A),
    );
    const stream = call(
      `${h.url}/v1/chat/completions`,
      "POST",
      chat("slow-300", "hi", { stream: true }),
      bearer(KEY_A),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = h.gateway.close();
    const [plain, streamed] = await Promise.all([slow, stream]);
    expect(plain.status).toBe(200);
    expect(streamed.text).toContain("[DONE]");
    await closing;
    await expect(call(`${h.url}/healthz`, "GET")).rejects.toThrow();
    for (const provider of h.gateway.services.providers.all())
      expect(provider.pool.closed).toBe(true);
    await expect(h.gateway.services.routes.store.engineFor("x")).rejects.toThrow();
    await h.mock.close();
  });

  it("requests still running at the drain deadline are cut off and close() returns", async () => {
    const h = await startHarness({
      server: { port: 0, shutdown_timeout_ms: 200 },
      upstream: { headers_timeout_ms: 10_000 },
    });
    const stuck = call(
      `${h.url}/v1/chat/completions`,
      "POST",
      chat("slow-5000", "hi"),
      bearer(KEY_A),
    ).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await h.gateway.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await stuck).toBeInstanceOf(Error);
    await h.mock.close();
  });
});
