import { describe, expect, it } from "vitest";
import {
  DEFAULT_MARKER_OPTIONS,
  parseRequest,
  prefixHashes,
  prepareRequest,
} from "../src/index.js";
import { ephemeral, text } from "./helpers.js";

const prepare = <T>(body: T, format: "openai" | "anthropic") =>
  prepareRequest(body, format, DEFAULT_MARKER_OPTIONS);

describe("marker stripping", () => {
  const anthropic = {
    model: "m",
    cache_control: ephemeral(),
    tools: [
      {
        name: "t",
        input_schema: { type: "object", cache_control: "schema data" },
        cache_control: ephemeral("1h"),
      },
    ],
    system: [text("sys", ephemeral("1h"))],
    messages: [
      {
        role: "user",
        content: [text("q", null), { type: "image", source: { type: "url", url: "u" } }],
      },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "t1", name: "t", input: {}, cache_control: ephemeral() }],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "t1", content: [text("r", { keep: 1 })] }],
      },
    ],
  };

  it("removes cache_control at every marker location and nowhere else", () => {
    const { forwardBody } = prepare(anthropic, "anthropic");
    expect(forwardBody).toEqual({
      model: "m",
      tools: [{ name: "t", input_schema: { type: "object", cache_control: "schema data" } }],
      system: [text("sys")],
      messages: [
        {
          role: "user",
          content: [text("q"), { type: "image", source: { type: "url", url: "u" } }],
        },
        { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "t", input: {} }] },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "t1", content: [text("r", { keep: 1 })] }],
        },
      ],
    });
  });

  it("never mutates the input body", () => {
    const before = structuredClone(anthropic);
    prepare(anthropic, "anthropic");
    expect(anthropic).toEqual(before);
  });

  it("shares untouched subtrees and copies the edited path", () => {
    const { forwardBody } = prepare(anthropic, "anthropic");
    expect(forwardBody).not.toBe(anthropic);
    expect(forwardBody.messages[0]).not.toBe(anthropic.messages[0]);
    expect(forwardBody.messages[0]?.content[1]).toBe(anthropic.messages[0]?.content[1]);
    expect(forwardBody.messages[2]).toBe(anthropic.messages[2]);
  });

  it("removes explicit null markers too", () => {
    const body = { messages: [{ role: "user", content: [text("x", null)] }] };
    expect(prepare(body, "openai").forwardBody).toEqual({
      messages: [{ role: "user", content: [text("x")] }],
    });
  });

  it("strips OpenAI assistant tool calls and tools", () => {
    const call = { id: "c", type: "function", function: { name: "f", arguments: "{}" } };
    const tool = { type: "function", function: { name: "f", parameters: {} } };
    const body = {
      tools: [{ ...tool, cache_control: ephemeral() }],
      messages: [
        { role: "assistant", content: null, tool_calls: [{ ...call, cache_control: ephemeral() }] },
      ],
    };
    expect(prepare(body, "openai").forwardBody).toEqual({
      tools: [tool],
      messages: [{ role: "assistant", content: null, tool_calls: [call] }],
    });
  });

  it("the stripped body hashes like the original", () => {
    const { forwardBody } = prepare(anthropic, "anthropic");
    const hex = (body: unknown) =>
      prefixHashes(parseRequest(body, "anthropic").blocks).map((h) =>
        Buffer.from(h).toString("hex"),
      );
    expect(hex(forwardBody)).toEqual(hex(anthropic));
  });
});

describe("stream_options.include_usage", () => {
  it("is forced on a streamed OpenAI request, keeping other stream options", () => {
    const body = { stream: true, stream_options: { foo: 1, include_usage: false }, messages: [] };
    const prepared = prepare(body, "openai");
    expect(prepared.stream).toBe(true);
    expect(prepared.forwardBody).toEqual({
      stream: true,
      stream_options: { foo: 1, include_usage: true },
      messages: [],
    });
    expect(body.stream_options.include_usage).toBe(false);
  });

  it("is added when absent", () => {
    expect(prepare({ stream: true, messages: [] }, "openai").forwardBody).toEqual({
      stream: true,
      messages: [],
      stream_options: { include_usage: true },
    });
  });

  it("is not added to non-streamed or Anthropic requests", () => {
    expect(prepare({ messages: [] }, "openai").forwardBody).toEqual({ messages: [] });
    expect(prepare({ stream: true, messages: [] }, "anthropic").forwardBody).toEqual({
      stream: true,
      messages: [],
    });
  });
});
