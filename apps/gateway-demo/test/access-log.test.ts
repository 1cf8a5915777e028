import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestFields } from "../src/log/access-log.js";
import { newRequestContext } from "../src/protocol/request-context.js";
import { CACHED_PRICES, type Harness, KEY_A, ORG_A, startHarness } from "./helpers/harness.js";
import { bearer, call, chat } from "./helpers/http.js";
import { captureLogger } from "./helpers/log-capture.js";
import { waitFor } from "./helpers/wait.js";

const { logger, lines } = captureLogger();
let h: Harness;

beforeAll(async () => {
  h = await startHarness({}, { logger });
});
afterAll(() => h?.close());

const SYSTEM =
  "You are the librarian of a small town library. You help visitors find books, explain how to renew loans, and describe the opening hours and the rules of the reading room. Keep every answer short and friendly, and never share personal data about other visitors.";

/** The access-log line of a request, by its id. */
async function lineOf(id: string): Promise<Record<string, unknown>> {
  await waitFor(() => lines.some((l) => l.req_id === id));
  return lines.find((l) => l.req_id === id) as Record<string, unknown>;
}

describe("the access log line carries the accounting", () => {
  it("non-streamed: cost_usd equals x-switchyard-cost-usd; usage with cache_read/cache_write; prompt_cache; cache", async () => {
    const body = {
      model: "cached-claude",
      max_tokens: 50,
      system: [{ type: "text", text: SYSTEM, cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content: "How do I renew a loan?" }],
    };
    const reply = await call(`${h.url}/v1/messages`, "POST", body, {
      ...bearer(KEY_A),
      "x-request-id": "log-json-1",
    });
    const line = await lineOf("log-json-1");
    expect(line.cost_usd).toBe(Number(reply.headers.get("x-switchyard-cost-usd")));
    expect(line.usage).toEqual({
      input: reply.json.usage.input_tokens + reply.json.usage.cache_creation_input_tokens,
      output: reply.json.usage.output_tokens,
      cache_read: 0,
      cache_write: reply.json.usage.cache_creation_input_tokens,
    });
    const written = reply.json.usage.cache_creation_input_tokens;
    expect(line.prompt_cache).toEqual({
      outcome: "write",
      read: 0,
      written,
      // Net saving so far: a 5-minute write costs 0.25x the input price extra.
      saved_usd: expect.closeTo((-written * CACHED_PRICES.input * 0.25) / 1e6, 12),
    });
    expect(line.cache).toBe("bypass");
    expect(line.cache_bypass).toBe("temperature_default");
    expect(JSON.stringify(line)).not.toContain(KEY_A);
  });

  it("streamed: the cost is in the log line (no header once the body has started)", async () => {
    const reply = await call(
      `${h.url}/v1/chat/completions`,
      "POST",
      chat("gpt-a", "stream me", { stream: true, stream_options: { include_usage: true } }),
      { ...bearer(KEY_A), "x-request-id": "log-stream-1" },
    );
    expect(reply.headers.get("x-switchyard-cost-usd")).toBeNull();
    const line = await lineOf("log-stream-1");
    const usage = line.usage as { input: number; output: number };
    expect(usage.input).toBeGreaterThan(0);
    // gpt-a: $1 in, $2 out per million.
    expect(line.cost_usd).toBeCloseTo((usage.input * 1 + usage.output * 2) / 1e6, 12);
  });

  it("a response-cache hit costs nothing and says so", async () => {
    const body = chat("gpt-a", "cached in the log", { temperature: 0 });
    await call(`${h.url}/v1/chat/completions`, "POST", body, bearer(KEY_A));
    await call(`${h.url}/v1/chat/completions`, "POST", body, {
      ...bearer(KEY_A),
      "x-request-id": "log-hit-1",
    });
    const line = await lineOf("log-hit-1");
    expect(line).toMatchObject({ cache: "hit", cost_usd: 0, model_used: "gpt-a" });
    expect(line.attempts).toBeUndefined();
  });
});

describe("the line's format", () => {
  it("writes money at a fixed precision (at most 10 decimals), never with floating point noise (issue 14.11)", () => {
    const ctx = newRequestContext("money-1", "POST", "/v1/messages");
    ctx.estimatedCostUsd = 0.1 + 0.2;
    ctx.costUsd = 0.000012599999999999998;
    ctx.promptCache = {
      outcome: "read",
      read: 1024,
      written: 0,
      saved_usd: -0.0021000000000000003,
    };
    const fields = requestFields(ctx, 200, 1_000_000);
    expect(fields).toContain(',"est_cost_usd":0.3,');
    expect(fields).toContain(',"cost_usd":0.0000126');
    expect(fields).toContain('"saved_usd":-0.0021}');
    const line = JSON.parse(`{${fields.slice(1)}}`);
    expect(line).toMatchObject({ est_cost_usd: 0.3, cost_usd: 0.0000126 });
    expect(line.prompt_cache).toEqual({
      outcome: "read",
      read: 1024,
      written: 0,
      saved_usd: -0.0021,
    });
  });

  it("is one JSON object in pino's shape: level, time, bindings, the fields, msg; hostile strings escaped", async () => {
    const model = 'evil"model\n\u2028{"injected":true}\\';
    const reply = await call(`${h.url}/v1/chat/completions`, "POST", chat(model, "hi"), {
      ...bearer(KEY_A),
      "x-request-id": "log-format-1",
    });
    expect(reply.status).toBe(404);
    const line = await lineOf("log-format-1");
    expect(Object.keys(line).slice(0, 4)).toEqual(["level", "time", "pid", "hostname"]);
    expect(line).toMatchObject({
      level: 40,
      req_id: "log-format-1",
      method: "POST",
      path: "/v1/chat/completions",
      status: 404,
      org: ORG_A,
      api: "openai",
      model,
      error: "model_not_found",
      msg: "request",
    });
    expect(line.injected).toBeUndefined();
    expect(typeof line.time).toBe("number");
    expect(typeof line.duration_ms).toBe("number");
    expect(Object.keys(line).at(-1)).toBe("msg");
  });
});
