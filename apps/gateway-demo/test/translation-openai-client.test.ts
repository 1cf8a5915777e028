import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { routesApi } from "./helpers/http.js";

let h: Harness;
let openai: OpenAI;
beforeAll(async () => {
  h = await startHarness();
  openai = new OpenAI({ apiKey: KEY_A, baseURL: `${h.url}/v1`, maxRetries: 0, timeout: 10_000 });
});
afterAll(() => h?.close());
beforeEach(async () => {
  await routesApi(h.url, KEY_A).clear();
  h.mock.reset();
});

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "weather",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

describe("OpenAI client -> Anthropic model", () => {
  it("the request is translated (system, max_tokens, stop) and the answer comes back as a chat.completion", async () => {
    const { data, response } = await openai.chat.completions
      .create({
        model: "claude-a",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Say hello" },
        ],
        stop: "END",
        temperature: 0.2,
      })
      .withResponse();
    const sent = h.mock.recent.at(-1);
    expect(sent?.api).toBe("anthropic");
    expect(sent?.body).toEqual({
      model: "claude-a",
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "Say hello" }] }],
      max_tokens: 4096,
      stop_sequences: ["END"],
      temperature: 0.2,
    });
    expect(data.object).toBe("chat.completion");
    expect(data.choices[0]?.message.content).toBe("Mock reply from claude-a. You said: Say hello");
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-switchyard-model-used")).toBe("claude-a");
  });

  it("a stream is translated into chunks, with the usage chunk when asked", async () => {
    const stream = await openai.chat.completions.create({
      model: "claude-a",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "Say hello" }],
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("Mock reply from claude-a. You said: Say hello");
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it("tools, tool calls and tool results are translated both ways", async () => {
    const first = await openai.chat.completions.create({
      model: "claude-with-tool",
      tools: [weatherTool],
      tool_choice: "required",
      messages: [{ role: "user", content: "weather in Paris?" }],
    });
    const call0 = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe("tool_calls");
    expect(call0).toMatchObject({
      type: "function",
      function: { name: "get_weather", arguments: '{"query":"mock"}' },
    });
    expect(h.mock.recent.at(-1)?.body).toMatchObject({
      tools: [{ name: "get_weather", input_schema: weatherTool.function.parameters }],
      tool_choice: { type: "any" },
    });
    await openai.chat.completions.create({
      model: "claude-a",
      tools: [weatherTool],
      messages: [
        { role: "user", content: "weather in Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [call0 as OpenAI.ChatCompletionMessageToolCall],
        },
        { role: "tool", tool_call_id: (call0 as { id: string }).id, content: "sunny" },
      ],
    });
    expect(h.mock.recent.at(-1)?.body.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "weather in Paris?" }] },
      {
        role: "assistant",
        content: [
          {
            type: "tool_use",
            id: (call0 as { id: string }).id,
            name: "get_weather",
            input: { query: "mock" },
          },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: (call0 as { id: string }).id, content: "sunny" },
        ],
      },
    ]);
  });

  it("a streamed tool call arrives as tool_calls deltas", async () => {
    const stream = await openai.chat.completions.create({
      model: "claude-with-tool",
      stream: true,
      tools: [weatherTool],
      messages: [{ role: "user", content: "weather?" }],
    });
    let name = "";
    let args = "";
    for await (const chunk of stream) {
      const tc = chunk.choices[0]?.delta.tool_calls?.[0];
      name += tc?.function?.name ?? "";
      args += tc?.function?.arguments ?? "";
    }
    expect(name).toBe("get_weather");
    expect(JSON.parse(args)).toEqual({ query: "mock" });
  });

  it("an image data URL becomes a base64 image block", async () => {
    await openai.chat.completions.create({
      model: "claude-a",
      messages: [
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          ],
        },
      ],
    });
    expect(h.mock.recent.at(-1)?.body.messages).toEqual([
      {
        role: "user",
        content: [
          {
            type: "image",
            source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" },
          },
        ],
      },
    ]);
  });
});
