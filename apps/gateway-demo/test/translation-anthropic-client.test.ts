import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call, routesApi } from "./helpers/http.js";

let h: Harness;
let anthropic: Anthropic;
beforeAll(async () => {
  h = await startHarness();
  anthropic = new Anthropic({ apiKey: KEY_A, baseURL: h.url, maxRetries: 0, timeout: 10_000 });
});
afterAll(() => h?.close());
beforeEach(async () => {
  await routesApi(h.url, KEY_A).clear();
  h.mock.reset();
});

describe("Anthropic client -> OpenAI model", () => {
  it("the request is translated (system first) and the answer comes back as a message", async () => {
    const message = await anthropic.messages.create({
      model: "gpt-a",
      max_tokens: 50,
      system: "Be brief.",
      stop_sequences: ["END"],
      messages: [{ role: "user", content: "Say hello" }],
    });
    expect(h.mock.recent.at(-1)?.body).toEqual({
      model: "gpt-a",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Say hello" },
      ],
      max_tokens: 50,
      stop: ["END"],
    });
    expect(message.type).toBe("message");
    expect(message.content[0]).toMatchObject({
      type: "text",
      text: "Mock reply from gpt-a. You said: Say hello",
    });
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  });

  it("a stream is translated into Anthropic events with usage at the end", async () => {
    const stream = anthropic.messages.stream({
      model: "gpt-a",
      max_tokens: 50,
      messages: [{ role: "user", content: "Say hello" }],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalMessage();
    expect(types[0]).toBe("message_start");
    expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(final.content[0]).toMatchObject({ text: "Mock reply from gpt-a. You said: Say hello" });
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(h.mock.recent.at(-1)?.body.stream_options).toEqual({ include_usage: true });
  });

  it("tool_use and tool_result blocks become tool_calls and tool messages; a tool call comes back as tool_use", async () => {
    const tools = [
      {
        name: "get_weather",
        description: "weather",
        input_schema: { type: "object" as const, properties: {} },
      },
    ];
    const first = await anthropic.messages.create({
      model: "with-tool",
      max_tokens: 50,
      tools,
      messages: [{ role: "user", content: "weather?" }],
    });
    const use = first.content.find((block) => block.type === "tool_use");
    expect(first.stop_reason).toBe("tool_use");
    expect(use).toMatchObject({ name: "get_weather", input: { query: "mock" } });
    const id = (use as { id: string }).id;
    await anthropic.messages.create({
      model: "gpt-a",
      max_tokens: 50,
      tools,
      messages: [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: [{ type: "tool_use", id, name: "get_weather", input: { query: "mock" } }],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: id, content: "sunny" },
            { type: "text", text: "thanks" },
          ],
        },
      ],
    });
    expect(h.mock.recent.at(-1)?.body.messages).toEqual([
      { role: "user", content: "weather?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id,
            type: "function",
            function: { name: "get_weather", arguments: '{"query":"mock"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: id, content: "sunny" },
      { role: "user", content: [{ type: "text", text: "thanks" }] },
    ]);
  });
});

describe("what cannot be translated is a clear 400, nothing dispatched", () => {
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    [
      "n > 1",
      "/v1/chat/completions",
      { model: "claude-a", n: 2, messages: [{ role: "user", content: "hi" }] },
      "n",
    ],
    [
      "JSON mode",
      "/v1/chat/completions",
      {
        model: "claude-a",
        response_format: { type: "json_object" },
        messages: [{ role: "user", content: "hi" }],
      },
      "response_format",
    ],
    [
      "audio input",
      "/v1/chat/completions",
      {
        model: "claude-a",
        messages: [
          {
            role: "user",
            content: [{ type: "input_audio", input_audio: { data: "", format: "wav" } }],
          },
        ],
      },
      "messages[0].content[0]",
    ],
    [
      "extended thinking",
      "/v1/messages",
      {
        model: "gpt-a",
        max_tokens: 2000,
        thinking: { type: "enabled", budget_tokens: 1024 },
        messages: [{ role: "user", content: "hi" }],
      },
      "thinking",
    ],
    [
      "a document block",
      "/v1/messages",
      {
        model: "gpt-a",
        max_tokens: 20,
        messages: [
          {
            role: "user",
            content: [
              { type: "document", source: { type: "text", data: "x", media_type: "text/plain" } },
            ],
          },
        ],
      },
      "messages[0].content[0]",
    ],
  ];
  for (const [what, path, body, param] of cases) {
    it(what, async () => {
      const reply = await call(`${h.url}${path}`, "POST", body, bearer(KEY_A));
      expect(reply.status).toBe(400);
      expect(reply.text).toContain("cannot be translated");
      if (path === "/v1/chat/completions")
        expect(reply.json.error).toMatchObject({ code: "unsupported_translation", param });
      else expect(reply.json.error.type).toBe("invalid_request_error");
      expect(h.mock.count()).toBe(0);
    });
  }

  it("a fallback that would need an unsupported translation is skipped", async () => {
    await routesApi(h.url, KEY_A).create({
      name: "x",
      when: { model_in: ["gpt-a"] },
      then: { target_model: "fail-500", fallbacks: ["claude-a", "gpt-b"] },
    });
    const body = { model: "gpt-a", n: 2, messages: [{ role: "user", content: "hi" }] };
    const reply = await call(`${h.url}/v1/chat/completions`, "POST", body, bearer(KEY_A));
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-switchyard-model-used")).toBe("gpt-b");
    expect(h.mock.count("claude-a")).toBe(0);
  });
});
