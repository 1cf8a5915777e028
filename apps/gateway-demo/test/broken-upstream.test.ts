import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/config-error.js";
import { DEFAULTS } from "../src/config/defaults.js";
import { validateConfig } from "../src/config/validate-config.js";
import { hashApiKey } from "../src/hashing/api-key-hash.js";
import {
  type Api,
  askGateway,
  drain,
  expect502Envelope,
  expectErrorEventLast,
  faultModel,
  PATHS,
} from "./helpers/broken-answers.js";
import { type Harness, KEY_A, startHarness, testModels } from "./helpers/harness.js";
import { type Reply, routesApi } from "./helpers/http.js";

// Issue 14.7: an answer the gateway cannot parse is a 502 before the first byte and an
// error event after it, translated or not, streamed or not; never a 200 or a clean finish.

/** Per upstream API: mock fault models (the mock's `garble`, `empty`, `big_event` directives). */
const faulty = (api: Api, prefix: string) => {
  const p = api === "openai" ? "oa" : "an";
  return {
    [`${prefix}-garbled-first`]: faultModel(p, `${prefix}g0~garble=0`),
    // The delay makes the broken frame arrive after the first byte went out.
    [`${prefix}-garbled-later`]: faultModel(p, `${prefix}g2~garble=2~chunk_delay=20`),
    [`${prefix}-empty`]: faultModel(p, `${prefix}empty~empty`),
    [`${prefix}-big`]: faultModel(p, `${prefix}big~big_event=200000~chunk_delay=20`),
  };
};
const models = { ...testModels(), ...faulty("openai", "gpt"), ...faulty("anthropic", "claude") };

let h: Harness;
let bounded: Harness;
beforeAll(async () => {
  h = await startHarness({ models });
  bounded = await startHarness({
    models,
    upstream: {
      headers_timeout_ms: 2_000,
      body_timeout_ms: 1_000,
      max_sse_event_bytes: 64 * 1024,
      max_response_bytes: 64 * 1024,
    },
  });
});
afterAll(async () => {
  await h?.close();
  await bounded?.close();
});
beforeEach(() => h.mock.reset());

const ask = (api: Api, modelName: string, stream: boolean, harness = h): Promise<Reply> =>
  askGateway(harness, api, modelName, stream);

describe.each(PATHS)("%s", (_name, api, upstream) => {
  it("a truncated JSON body is a 502 with the API's error envelope", async () => {
    expect502Envelope(api, await ask(api, `${upstream}-garbled-first`, false));
  });

  it("an empty 200 body is a 502", async () => {
    expect502Envelope(api, await ask(api, `${upstream}-empty`, false));
  });

  it("a stream whose first frame is malformed is a 502 (nothing was sent yet)", async () => {
    expect502Envelope(api, await ask(api, `${upstream}-garbled-first`, true));
  });

  it("an event-stream with no SSE event before its end is a 502", async () => {
    expect502Envelope(api, await ask(api, `${upstream}-empty`, true));
  });

  it("a malformed frame after the first byte ends the stream with an error event, no clean finish", async () => {
    expectErrorEventLast(api, await ask(api, `${upstream}-garbled-later`, true));
  });

  it("an SSE event above upstream.max_sse_event_bytes ends the stream with an error event", async () => {
    const reply = await ask(api, `${upstream}-big`, true, bounded);
    expectErrorEventLast(api, reply);
    expect(reply.text).toContain("max_sse_event_bytes");
  });

  it("a non-streamed answer above upstream.max_response_bytes is a 502", async () => {
    const reply = await ask(api, `${upstream}-big`, false, bounded);
    expect502Envelope(api, reply);
    expect(reply.text).toContain("max_response_bytes");
  });
});

describe("a broken answer before the first byte is an upstream failure", () => {
  beforeEach(() => routesApi(h.url, KEY_A).clear());
  const fallbackTo = (target: string, fallback: string) =>
    routesApi(h.url, KEY_A).create({
      name: `broken-${target}`,
      when: { model_in: ["gpt-a", "claude-a"] },
      then: { target_model: target, fallbacks: [fallback] },
    });

  it.each([
    ["a truncated body", "gpt-garbled-first", "gptg0~garble=0", false],
    ["a malformed first frame", "gpt-garbled-first", "gptg0~garble=0", true],
    ["a stream without events", "claude-empty", "claudeempty~empty", true],
  ])(
    "%s is retried like a 5xx, then the fallback answers",
    async (_what, target, upstream, stream) => {
      expect((await fallbackTo(target, "gpt-b")).status).toBe(201);
      const reply = await ask("openai", "gpt-a", stream as boolean);
      expect(reply.status).toBe(200);
      expect(reply.headers.get("x-switchyard-model-used")).toBe("gpt-b");
      expect(h.mock.count(upstream as string)).toBe(2);
      expect(h.mock.count("gpt-b")).toBe(1);
    },
  );
});

describe("the official SDKs raise the gateway's error events", () => {
  const messages = [{ role: "user" as const, content: "hi" }];

  it("OpenAI SDK: a malformed frame raises an APIError (passed through: not a JSON SyntaxError)", async () => {
    const openai = new OpenAI({ apiKey: KEY_A, baseURL: `${h.url}/v1`, maxRetries: 0 });
    for (const name of ["gpt-garbled-later", "claude-garbled-later"]) {
      const stream = await openai.chat.completions.create({ model: name, stream: true, messages });
      let text = "";
      const error = await drain(stream, (chunk) => {
        text += chunk.choices[0]?.delta.content ?? "";
      });
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe("upstream_error");
      expect(text.startsWith("Mock")).toBe(true); // what came before the broken chunk
    }
  });

  it("Anthropic SDK: a malformed frame raises an APIError and no message_stop arrives", async () => {
    const anthropic = new Anthropic({ apiKey: KEY_A, baseURL: h.url, maxRetries: 0 });
    for (const name of ["claude-garbled-later", "gpt-garbled-later"]) {
      const stream = anthropic.messages.stream({ model: name, max_tokens: 50, messages });
      const types: string[] = [];
      const error = await drain(stream, (event) => types.push(event.type));
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect(types).toContain("content_block_delta");
      expect(types).not.toContain("message_stop");
    }
  });
});

describe("the bounds are configuration", () => {
  const raw = (upstream: Record<string, unknown>) => ({
    providers: { oa: { kind: "openai", base_url: "https://api.example.com/v1" } },
    models: { m: { provider: "oa" } },
    orgs: [
      {
        id: "01900000-0000-7000-8000-000000000001",
        api_keys: [{ sha256: hashApiKey("k") }],
      },
    ],
    upstream,
  });
  const issues = (upstream: Record<string, unknown>): string[] => {
    try {
      validateConfig(raw(upstream), { source: "test", env: {} });
      return [];
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
    }
  };

  it("defaults apply and a bad value names its field", () => {
    const config = validateConfig(raw({}), { source: "test", env: {} });
    expect(config.upstream.maxSseEventBytes).toBe(DEFAULTS.upstream.maxSseEventBytes);
    expect(config.upstream.maxResponseBytes).toBe(DEFAULTS.upstream.maxResponseBytes);
    expect(issues({ max_sse_event_bytes: "big" })[0]).toMatch(
      /^upstream\.max_sse_event_bytes: must be an integer/,
    );
    expect(issues({ max_response_bytes: 10 })[0]).toMatch(
      /^upstream\.max_response_bytes: must be an integer/,
    );
  });
});
