import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call, chat, routesApi } from "./helpers/http.js";

let h: Harness;
let routes: ReturnType<typeof routesApi>;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  h = await startHarness();
  routes = routesApi(h.url, KEY_A);
  openai = new OpenAI({ apiKey: KEY_A, baseURL: `${h.url}/v1`, maxRetries: 0, timeout: 10_000 });
  anthropic = new Anthropic({ apiKey: KEY_A, baseURL: h.url, maxRetries: 0, timeout: 10_000 });
});
afterAll(() => h?.close());
beforeEach(async () => {
  await routes.clear();
  h.mock.reset();
});

const complete = (body: unknown) =>
  call(`${h.url}/v1/chat/completions`, "POST", body, bearer(KEY_A));
const fallbackRoute = async (target: string, fallbacks: string[]) => {
  const reply = await routes.create({
    name: "with-fallbacks",
    when: { model_in: ["gpt-a"] },
    then: { target_model: target, fallbacks },
  });
  expect(reply.status).toBe(201);
};

describe("fallbacks and retries", () => {
  it("primary answers 500 (retried once), then the fallback succeeds", async () => {
    await fallbackRoute("fail-500", ["gpt-b"]);
    const reply = await complete(chat("gpt-a", "hi"));
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-switchyard-model-used")).toBe("gpt-b");
    expect(reply.headers.get("x-switchyard-route")).toBe("with-fallbacks");
    expect(h.mock.count("m500~fail=500")).toBe(2);
    expect(h.mock.count("gpt-b")).toBe(1);
  });

  it("a 400 from the primary does not fall back and is not retried", async () => {
    await fallbackRoute("fail-400", ["gpt-b"]);
    const reply = await complete(chat("gpt-a", "hi"));
    expect(reply.status).toBe(400);
    expect(reply.json.error.message).toContain("injected 400");
    expect(h.mock.count("m400~fail=400")).toBe(1);
    expect(h.mock.count("gpt-b")).toBe(0);
  });

  it("model not found (404) upstream falls back without retrying", async () => {
    await fallbackRoute("fail-404", ["gpt-b"]);
    const reply = await complete(chat("gpt-a", "hi"));
    expect(reply.status).toBe(200);
    expect(h.mock.count("m404~fail=404")).toBe(1);
    expect(reply.headers.get("x-switchyard-model-used")).toBe("gpt-b");
  });

  it("429 with retry-after: 1 is retried after the delay and then succeeds", async () => {
    const started = performance.now();
    const reply = await complete(chat("rate-limited-once", "hi"));
    const elapsed = performance.now() - started;
    expect(reply.status).toBe(200);
    expect(h.mock.count("m429~fail=429~retry_after=1~times=1")).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(950);
  });

  it("a retry-after above max_retry_after_ms is not waited for: the next candidate is tried at once", async () => {
    await fallbackRoute("rate-limited-long", ["gpt-b"]);
    const started = performance.now();
    const reply = await complete(chat("gpt-a", "hi"));
    expect(performance.now() - started).toBeLessThan(900);
    expect(reply.headers.get("x-switchyard-model-used")).toBe("gpt-b");
    expect(h.mock.count("m429long~fail=429~retry_after=120")).toBe(1);
  });

  it("when every candidate fails, the client gets the last error", async () => {
    await fallbackRoute("fail-404", ["fail-500"]);
    const reply = await complete(chat("gpt-a", "hi"));
    expect(reply.status).toBe(502);
    expect(reply.json.error).toMatchObject({ type: "api_error", code: "upstream_error" });
  });
});

describe("streaming failover", () => {
  it("a stream that fails before its first byte fails over to the fallback", async () => {
    await fallbackRoute("cut-before-first", ["gpt-b"]);
    const { data, response } = await openai.chat.completions
      .create({ model: "gpt-a", stream: true, messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    let text = "";
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Mock reply from gpt-b. You said: hi");
    expect(response.headers.get("x-switchyard-model-used")).toBe("gpt-b");
    expect(h.mock.count("cut0~cut=0")).toBe(2);
  });

  it("a stream that fails after its first byte does not fail over and ends with an error event", async () => {
    await fallbackRoute("cut-after-two", ["gpt-b"]);
    const stream = await openai.chat.completions.create({
      model: "gpt-a",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    let text = "";
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(text).toBe("Mock reply ");
    expect(h.mock.count("gpt-b")).toBe(0);
  });

  it("on the wire, the broken stream has no [DONE]: its last event is an OpenAI error object", async () => {
    await fallbackRoute("cut-after-two", ["gpt-b"]);
    const reply = await complete(chat("gpt-a", "hi", { stream: true }));
    const events = reply.text.trim().split("\n\n");
    expect(reply.text).not.toContain("[DONE]");
    expect(JSON.parse((events.at(-1) as string).slice("data: ".length)).error.code).toBe(
      "upstream_error",
    );
  });

  it("an Anthropic stream broken after its first byte ends with an `error` event the SDK raises", async () => {
    const stream = anthropic.messages.stream({
      model: "claude-cut-after-two",
      max_tokens: 50,
      messages: [{ role: "user", content: "hi" }],
    });
    const types: string[] = [];
    const error = await (async () => {
      for await (const event of stream) types.push(event.type);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(types).toContain("content_block_delta");
    expect(types).not.toContain("message_stop");
  });

  it("a stream that stalls after its first byte is ended by the body timeout with an error event", async () => {
    const reply = await complete(chat("stall-after-one", "hi", { stream: true }));
    expect(reply.status).toBe(200);
    expect(reply.text).not.toContain("[DONE]");
    expect(reply.text.trim().split("\n\n").at(-1)).toContain('"error"');
  });
});

describe("circuit breaker and timeouts", () => {
  let strict: Harness;
  beforeAll(async () => {
    strict = await startHarness({
      circuit_breaker: { failure_threshold: 2, cooldown_ms: 60_000 },
      upstream: { headers_timeout_ms: 150, body_timeout_ms: 1_000 },
    });
  });
  afterAll(() => strict?.close());
  const strictCall = (model: string) =>
    call(`${strict.url}/v1/chat/completions`, "POST", chat(model, "hi"), bearer(KEY_A));

  it("after repeated failures the provider is skipped (503 with retry-after) without calling it", async () => {
    expect((await strictCall("breaker-500")).status).toBe(502);
    expect(strict.mock.count("b500~fail=500")).toBe(2);
    const skipped = await strictCall("breaker-ok");
    expect(skipped.status).toBe(503);
    expect(skipped.json.error.code).toBe("provider_unavailable");
    expect(Number(skipped.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(strict.mock.count("bok")).toBe(0);
    expect(strict.mock.count("b500~fail=500")).toBe(2);
  });

  it("an open circuit on the primary's provider falls back to another provider", async () => {
    const api = routesApi(strict.url, KEY_A);
    await api.create({
      name: "breaker-fallback",
      when: { model_in: ["breaker-ok"] },
      then: { target_model: "breaker-ok", fallbacks: ["claude-a"] },
    });
    const reply = await strictCall("breaker-ok");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-switchyard-model-used")).toBe("claude-a");
  });

  it("an upstream that does not answer in time is a 504 (undici timers tick every ~0.5 s)", async () => {
    const reply = await strictCall("slow-5000");
    expect(reply.status).toBe(504);
    expect(reply.json.error.code).toBe("upstream_timeout");
  });
});
