import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dialectFor } from "../src/dialects/index.js";
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

// Issue 14.7 (variants): a stream that ends cleanly before its final event ([DONE],
// message_stop) and a 200 JSON answer that is no completion are broken answers too,
// on the passthrough path as on the translated one.

/**
 * The mock's reply to "hi" has 7 content chunks ("Mock ", "reply ", "from ", "<model>. ",
 * "You ", "said: ", "hi"); `truncate=<n>` ends the stream cleanly after n frames past the
 * opening ones, content first, then the trailer (OpenAI: finish chunk, usage chunk when
 * asked, [DONE]; Anthropic: content_block_stop, message_delta, message_stop).
 */
const CONTENT = 7;
const faulty = (api: Api, prefix: string) => {
  const p = api === "openai" ? "oa" : "an";
  return {
    [`${prefix}-truncated`]: faultModel(p, `${prefix}t1~truncate=1`),
    [`${prefix}-truncated-slow`]: faultModel(p, `${prefix}t2~truncate=2~chunk_delay=20`),
    [`${prefix}-before-usage`]: faultModel(p, `${prefix}t8~truncate=${CONTENT + 1}`),
    [`${prefix}-before-stop`]: faultModel(p, `${prefix}t9~truncate=${CONTENT + 2}`),
    [`${prefix}-empty-object`]: faultModel(p, `${prefix}eo~body=empty_object`),
    [`${prefix}-no-answer`]: faultModel(p, `${prefix}na~body=no_answer`),
  };
};
const models = { ...testModels(), ...faulty("openai", "gpt"), ...faulty("anthropic", "claude") };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ models });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => h.mock.reset());

const ask = (api: Api, modelName: string, stream: boolean, extra: Record<string, unknown> = {}) =>
  askGateway(h, api, modelName, stream, extra);

/** An error event last (see broken-answers.ts), saying why. */
function expectEndedEarly(api: Api, reply: Reply): void {
  expectErrorEventLast(api, reply);
  expect(reply.text).toContain("final event");
}

describe.each(PATHS)("%s", (_name, api, upstream) => {
  it("a stream that ends cleanly after one content delta ends with an error event", async () => {
    const reply = await ask(api, `${upstream}-truncated`, true);
    expect(reply.text).toContain("Mock ");
    expectEndedEarly(api, reply);
    // No invented end: no stop reason, no finish reason.
    expect(reply.text).not.toContain("message_delta");
    expect(reply.text).not.toMatch(/"finish_reason":"/);
  });

  it("the same after the first byte went out", async () => {
    expectEndedEarly(api, await ask(api, `${upstream}-truncated-slow`, true));
  });

  it("a 200 body `{}` is a 502", async () => {
    expect502Envelope(api, await ask(api, `${upstream}-empty-object`, false));
  });

  it("a 200 body of the API's shape without an answer is a 502", async () => {
    expect502Envelope(api, await ask(api, `${upstream}-no-answer`, false));
  });
});

describe("where a stream without its final event is complete", () => {
  const usageAsked = { stream_options: { include_usage: true } };

  it("OpenAI upstream, passthrough: finish_reason and the asked usage chunk but no [DONE] is complete", async () => {
    const reply = await ask("openai", "gpt-before-stop", true, usageAsked);
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('"finish_reason":"stop"');
    expect(reply.text).toContain('"usage":{');
    expect(reply.text).not.toContain('"error"');
  });

  it("OpenAI upstream, passthrough: finish_reason without the asked usage chunk is not", async () => {
    expectEndedEarly("openai", await ask("openai", "gpt-before-usage", true, usageAsked));
  });

  it("OpenAI upstream, translated (usage always asked): complete only with the usage chunk", async () => {
    const complete = await ask("anthropic", "gpt-before-stop", true);
    expect(complete.status).toBe(200);
    expect(complete.text).toContain('"stop_reason":"end_turn"');
    expect(complete.text).toContain("message_stop");
    expect(complete.text).not.toContain("event: error");
    const delta = complete.text.split("\n\n").find((e) => e.startsWith("event: message_delta"));
    const usage = JSON.parse((delta as string).split("\ndata: ")[1] as string).usage;
    expect(usage.output_tokens).toBeGreaterThan(0); // the usage chunk was read
    expectEndedEarly("anthropic", await ask("anthropic", "gpt-before-usage", true));
  });

  it("Anthropic upstream: message_delta without message_stop is not complete, both paths", async () => {
    expectEndedEarly("anthropic", await ask("anthropic", "claude-before-stop", true));
    expectEndedEarly("openai", await ask("openai", "claude-before-stop", true));
  });
});

describe("a hollow answer is an upstream failure", () => {
  beforeEach(() => routesApi(h.url, KEY_A).clear());

  it("retried like a 5xx, then the fallback answers", async () => {
    const created = await routesApi(h.url, KEY_A).create({
      name: "hollow",
      when: { model_in: ["gpt-a"] },
      then: { target_model: "claude-no-answer", fallbacks: ["gpt-b"] },
    });
    expect(created.status).toBe(201);
    const reply = await ask("openai", "gpt-a", false);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-switchyard-model-used")).toBe("gpt-b");
    expect(h.mock.count("claudena~body=no_answer")).toBe(2);
  });
});

describe("answerProblem: the minimal shape of a completion", () => {
  it.each([
    ["openai", {}],
    ["openai", { object: "chat.completion", choices: [] }],
    ["openai", { choices: [1] }],
    ["openai", { choices: null }],
    ["anthropic", {}],
    ["anthropic", { content: null }],
    ["anthropic", { type: "message", content: "text" }],
  ])("%s %j is not an answer", (api, value) => {
    expect(dialectFor(api as Api).answerProblem(value)).toMatch(/^a 200 answer/);
  });

  it.each([
    ["openai", { choices: [{ index: 0, message: { role: "assistant", content: "" } }] }],
    ["anthropic", { type: "message", content: [], stop_reason: "end_turn" }],
    ["anthropic", { content: [{ type: "text", text: "x" }] }],
  ])("%s %j is", (api, value) => {
    expect(dialectFor(api as Api).answerProblem(value)).toBeUndefined();
  });
});

describe("the official SDKs raise an error on a stream without its final event", () => {
  const messages = [{ role: "user" as const, content: "hi" }];

  it("OpenAI SDK", async () => {
    const openai = new OpenAI({ apiKey: KEY_A, baseURL: `${h.url}/v1`, maxRetries: 0 });
    for (const name of ["gpt-truncated-slow", "claude-truncated-slow"]) {
      const stream = await openai.chat.completions.create({ model: name, stream: true, messages });
      let text = "";
      const error = await drain(stream, (chunk) => {
        text += chunk.choices[0]?.delta.content ?? "";
      });
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(text).toBe("Mock reply ");
    }
  });

  it("Anthropic SDK", async () => {
    const anthropic = new Anthropic({ apiKey: KEY_A, baseURL: h.url, maxRetries: 0 });
    for (const name of ["claude-truncated-slow", "gpt-truncated-slow"]) {
      const stream = anthropic.messages.stream({ model: name, max_tokens: 50, messages });
      const types: string[] = [];
      const error = await drain(stream, (event) => types.push(event.type));
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect(types).toContain("content_block_delta");
      expect(types).not.toContain("message_stop");
    }
  });
});
