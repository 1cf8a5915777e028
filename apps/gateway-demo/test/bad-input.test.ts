import { request } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call, type Reply } from "./helpers/http.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness(); // body limit 64 KiB
});
afterAll(() => h?.close());
beforeEach(() => h.mock.reset());

const endpoints = [
  {
    api: "openai",
    path: "/v1/chat/completions",
    valid: { model: "gpt-a", messages: [{ role: "user", content: "hi" }] },
  },
  {
    api: "anthropic",
    path: "/v1/messages",
    valid: { model: "claude-a", max_tokens: 10, messages: [{ role: "user", content: "hi" }] },
  },
] as const;

function expectEnvelope(api: string, reply: Reply, status: number): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get("x-request-id")).toBeTruthy();
  if (api === "openai") {
    expect(reply.json.error).toEqual(
      expect.objectContaining({
        message: expect.any(String),
        type: expect.any(String),
        code: expect.any(String),
      }),
    );
    expect(reply.json.error).toHaveProperty("param");
  } else {
    expect(reply.json).toEqual({
      type: "error",
      error: { type: expect.any(String), message: expect.any(String) },
    });
  }
}

for (const { api, path, valid } of endpoints) {
  describe(`${path}: bad input is a 4xx in the ${api} envelope, never a 5xx, and nothing is dispatched`, () => {
    afterEach(() => {
      expect(h.mock.count(), "requests dispatched upstream").toBe(0);
    });
    const send = (body: unknown, headers: Record<string, string> = bearer(KEY_A)) =>
      call(`${h.url}${path}`, "POST", body, headers);

    it("no key: 401 (before the body is even parsed)", async () => {
      const reply = await send("{broken", {});
      expectEnvelope(api, reply, 401);
      if (api === "anthropic") expect(reply.json.error.type).toBe("authentication_error");
    });

    it("malformed JSON: 400", async () => {
      expectEnvelope(api, await send('{"model": "gpt-a", "messages": ['), 400);
    });

    it("an empty body, a JSON array and a JSON string: 400", async () => {
      for (const body of ["", "[]", '"hello"', "null"]) expectEnvelope(api, await send(body), 400);
    });

    it("missing model: 400 naming `model`", async () => {
      const { model: _, ...rest } = valid;
      const reply = await send(rest);
      expectEnvelope(api, reply, 400);
      if (api === "openai") expect(reply.json.error.param).toBe("model");
      expect(reply.text).toContain("model");
    });

    it("wrong types: 400 naming the field", async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ model: 42 }, "model"],
        [{ messages: "hello" }, "messages"],
        [{ messages: [] }, "messages"],
        [{ messages: [{ role: "robot", content: "x" }] }, "messages[0].role"],
        [{ messages: [{ role: "user", content: 5 }] }, "messages[0].content"],
        [{ stream: "yes" }, "stream"],
        [{ max_tokens: -1 }, "max_tokens"],
        [{ temperature: "hot" }, "temperature"],
        [{ tools: {} }, "tools"],
      ];
      for (const [patch, param] of cases) {
        const reply = await send({ ...valid, ...patch });
        expectEnvelope(api, reply, 400);
        if (api === "openai") expect(reply.json.error.param, JSON.stringify(patch)).toBe(param);
        else expect(reply.json.error.message, JSON.stringify(patch)).toContain(param);
      }
    });

    it("unknown model: 404 not found", async () => {
      const reply = await send({ ...valid, model: "gpt-99-ultra" });
      expectEnvelope(api, reply, 404);
      if (api === "openai") expect(reply.json.error.code).toBe("model_not_found");
      else expect(reply.json.error.type).toBe("not_found_error");
    });

    it("a body over the limit: 413 (declared length)", async () => {
      const big = { ...valid, messages: [{ role: "user", content: "x".repeat(70 * 1024) }] };
      const reply = await send(big);
      expectEnvelope(api, reply, 413);
      if (api === "anthropic") expect(reply.json.error.type).toBe("request_too_large");
    });

    it("a chunked body over the limit: 413 as soon as it crosses the limit", async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${h.url}${path}`, {
          method: "POST",
          headers: {
            ...bearer(KEY_A),
            "content-type": "application/json",
            "transfer-encoding": "chunked",
          },
        });
        req.on("response", (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        const chunk = Buffer.alloc(16 * 1024, "a");
        for (let i = 0; i < 8; i++) req.write(chunk);
        req.end();
      });
      expect(status).toBe(413);
    });

    it("a burst of garbage never yields a 5xx", async () => {
      const garbage = [
        "{}",
        '{"model":null}',
        '{"model":"gpt-a","messages":[null]}',
        '{"model":"gpt-a","messages":[{"role":"user"}]}',
        '{"model":["a"],"messages":{}}',
        '{"model":"gpt-a","messages":[{"role":"user","content":"hi"}],"stream_options":"x"}',
        "\u0000\u0001",
        '{"model":"x","max_tokens":1e309}',
      ];
      for (const body of garbage) {
        const reply = await send(body);
        expect(reply.status, body).toBeGreaterThanOrEqual(400);
        expect(reply.status, body).toBeLessThan(500);
      }
    });
  });
}

describe("unknown endpoints and methods", () => {
  it("an unknown path is 404 and a wrong method 405 with allow, both with x-request-id", async () => {
    const missing = await call(`${h.url}/v2/whatever`, "GET");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-request-id")).toBeTruthy();
    const wrong = await call(`${h.url}/v1/chat/completions`, "GET");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
  });
});
