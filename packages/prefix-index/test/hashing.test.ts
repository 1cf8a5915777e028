import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalBlockBytes, parseRequest, prefixHashes } from "../src/index.js";
import { ephemeral, must, text } from "./helpers.js";

const hexes = (body: unknown, format: "openai" | "anthropic" = "openai") =>
  prefixHashes(parseRequest(body, format).blocks).map((h) => Buffer.from(h).toString("hex"));

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};
const toolCall = {
  id: "call_1",
  type: "function",
  function: { name: "get_weather", arguments: '{"city":"Paris"}' },
};

describe("canonical bytes and cumulative hashes", () => {
  it("a block's bytes are its role, one 0x00 byte, then compact key-sorted JSON without cache_control", () => {
    const bytes = canonicalBlockBytes({
      role: "user",
      value: {
        type: "text",
        text: "hi",
        cache_control: ephemeral(),
        b: { z: 1, a: [2, { d: 1, c: 0 }] },
      },
    });
    expect(bytes.toString("utf8")).toBe(
      'user\u0000{"b":{"a":[2,{"c":0,"d":1}],"z":1},"text":"hi","type":"text"}',
    );
  });

  it("H[i] is SHA-256 over the bytes of blocks 0..i, not a chain of hashes", () => {
    const body = {
      messages: [
        { role: "system", content: "S" },
        { role: "user", content: "U" },
      ],
    };
    const blocks = parseRequest(body, "openai").blocks;
    const b0 = canonicalBlockBytes(must(blocks[0]));
    const b1 = canonicalBlockBytes(must(blocks[1]));
    const h0 = createHash("sha256").update(b0).digest("hex");
    const h1 = createHash("sha256")
      .update(Buffer.concat([b0, b1]))
      .digest("hex");
    expect(hexes(body)).toEqual([h0, h1]);
    const chained = createHash("sha256").update(Buffer.from(h0, "hex")).update(b1).digest("hex");
    expect(hexes(body)[1]).not.toBe(chained);
  });

  it("hashes only up to the requested block", () => {
    const body = { messages: ["a", "b", "c"].map((c) => ({ role: "user", content: c })) };
    const all = prefixHashes(parseRequest(body, "openai").blocks);
    const two = prefixHashes(parseRequest(body, "openai").blocks, 1);
    expect(two).toHaveLength(2);
    expect(two.map((h) => Buffer.from(h).toString("hex"))).toEqual(
      all.slice(0, 2).map((h) => Buffer.from(h).toString("hex")),
    );
  });
});

describe("markers do not change hashes", () => {
  it("on text parts", () => {
    const plain = { messages: [{ role: "user", content: [text("hello"), text("world")] }] };
    const marked = {
      messages: [
        { role: "user", content: [text("hello", ephemeral("1h")), text("world", ephemeral())] },
      ],
    };
    expect(hexes(marked)).toEqual(hexes(plain));
  });

  it("on tool definitions", () => {
    const plain = { tools: [weatherTool], messages: [{ role: "user", content: "hi" }] };
    const marked = {
      tools: [{ ...weatherTool, cache_control: ephemeral("1h") }],
      messages: [{ role: "user", content: "hi" }],
    };
    expect(hexes(marked)).toEqual(hexes(plain));
  });

  it("on assistant tool calls (OpenAI tool_calls and Anthropic tool_use)", () => {
    const openai = (call: object) => ({
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: null, tool_calls: [call] },
      ],
    });
    expect(hexes(openai({ ...toolCall, cache_control: ephemeral() }))).toEqual(
      hexes(openai(toolCall)),
    );

    const use = { type: "tool_use", id: "tu_1", name: "get_weather", input: { city: "Paris" } };
    const anthropic = (part: object) => ({
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: [part] },
      ],
    });
    expect(hexes(anthropic({ ...use, cache_control: ephemeral("1h") }), "anthropic")).toEqual(
      hexes(anthropic(use), "anthropic"),
    );
  });

  it("but a cache_control inside a tool's JSON schema is data and does change the hash", () => {
    const withSchemaKey = {
      ...weatherTool,
      function: {
        ...weatherTool.function,
        parameters: { ...weatherTool.function.parameters, cache_control: { type: "ephemeral" } },
      },
    };
    expect(hexes({ tools: [withSchemaKey] })).not.toEqual(hexes({ tools: [weatherTool] }));
  });
});

describe("a single text part hashes as the string", () => {
  it("string content is hashed exactly as {type:text,text:s}", () => {
    const asString = { messages: [{ role: "user", content: "hello there" }] };
    const asPart = { messages: [{ role: "user", content: [text("hello there", ephemeral())] }] };
    expect(hexes(asPart)).toEqual(hexes(asString));
    expect(parseRequest(asString, "openai").blocks[0]?.value).toEqual({
      type: "text",
      text: "hello there",
    });
  });

  it("an Anthropic system string hashes as a single system text block", () => {
    const asString = { system: "be brief", messages: [] };
    const asBlocks = { system: [text("be brief", ephemeral())], messages: [] };
    expect(hexes(asBlocks, "anthropic")).toEqual(hexes(asString, "anthropic"));
  });
});

describe("tools come first whatever the key order", () => {
  it("a body with messages before tools yields the same blocks and hashes", () => {
    const messages = [{ role: "user", content: "hi" }];
    const toolsFirst = { tools: [weatherTool], messages };
    const messagesFirst = { messages, tools: [weatherTool] };
    expect(Object.keys(messagesFirst)[0]).toBe("messages");
    const blocks = parseRequest(messagesFirst, "openai").blocks;
    expect(blocks.map((b) => b.role)).toEqual(["tool_definition", "user"]);
    expect(hexes(messagesFirst)).toEqual(hexes(toolsFirst));
  });

  it("Anthropic: tools, then system, then messages", () => {
    const body = {
      messages: [{ role: "user", content: "hi" }],
      system: "sys",
      tools: [{ name: "t" }],
    };
    expect(parseRequest(body, "anthropic").blocks.map((b) => `${b.role}@${b.location}`)).toEqual([
      "tool_definition@tools[0]",
      "system@system",
      "user@messages[0].content",
    ]);
  });
});

describe("tool calls on non-assistant roles are ignored", () => {
  it("OpenAI tool_calls on a user message add no block", () => {
    const without = { messages: [{ role: "user", content: "hi" }] };
    const withCalls = { messages: [{ role: "user", content: "hi", tool_calls: [toolCall] }] };
    expect(parseRequest(withCalls, "openai").blocks).toHaveLength(1);
    expect(hexes(withCalls)).toEqual(hexes(without));
  });

  it("Anthropic tool_use parts on a user message add no block", () => {
    const use = { type: "tool_use", id: "x", name: "n", input: {} };
    const body = { messages: [{ role: "user", content: [text("hi"), use] }] };
    expect(parseRequest(body, "anthropic").blocks.map((b) => b.location)).toEqual([
      "messages[0].content[0]",
    ]);
  });

  it("assistant tool calls are tool_call blocks after the assistant's content", () => {
    const body = {
      messages: [
        {
          role: "assistant",
          content: "checking",
          tool_calls: [toolCall, { ...toolCall, id: "call_2" }],
        },
      ],
    };
    expect(parseRequest(body, "openai").blocks.map((b) => `${b.role}@${b.location}`)).toEqual([
      "assistant@messages[0].content",
      "tool_call@messages[0].tool_calls[0]",
      "tool_call@messages[0].tool_calls[1]",
    ]);
  });
});

describe("what adds blocks and what is hashed", () => {
  it("null and empty content add no block", () => {
    const body = {
      messages: [
        { role: "user", content: null },
        { role: "user", content: "" },
        { role: "user", content: [] },
        { role: "user", content: "x" },
      ],
    };
    expect(parseRequest(body, "openai").blocks.map((b) => b.location)).toEqual([
      "messages[3].content",
    ]);
  });

  it("message fields other than role and content, and request parameters, are not hashed", () => {
    const a = {
      model: "a",
      temperature: 0,
      messages: [{ role: "tool", content: "42", tool_call_id: "c1" }],
    };
    const b = {
      model: "b",
      max_tokens: 5,
      messages: [{ role: "tool", content: "42", tool_call_id: "c2", name: "x" }],
    };
    expect(hexes(a)).toEqual(hexes(b));
  });

  it("the role is hashed", () => {
    expect(hexes({ messages: [{ role: "user", content: "x" }] })).not.toEqual(
      hexes({ messages: [{ role: "assistant", content: "x" }] }),
    );
  });

  it("images hash their URL or data", () => {
    const image = (url: string) => ({
      messages: [{ role: "user", content: [{ type: "image_url", image_url: { url } }] }],
    });
    expect(hexes(image("https://x/a.png"))).not.toEqual(hexes(image("https://x/b.png")));
  });
});

describe("Anthropic and OpenAI bodies with the same content and markers", () => {
  it("hash the same for system and text turns", () => {
    const openai = {
      messages: [
        { role: "system", content: [text("You are terse.", ephemeral("1h"))] },
        { role: "user", content: "What is 2+2?" },
        { role: "assistant", content: "4" },
        { role: "user", content: [text("And 3+3?", ephemeral())] },
      ],
    };
    const anthropic = {
      system: [text("You are terse.", ephemeral("1h"))],
      messages: [
        { role: "user", content: "What is 2+2?" },
        { role: "assistant", content: [text("4")] },
        { role: "user", content: [text("And 3+3?", ephemeral())] },
      ],
    };
    expect(hexes(anthropic, "anthropic")).toEqual(hexes(openai, "openai"));
  });

  it("differ where the formats differ natively (tool definitions are not normalized)", () => {
    const openai = { tools: [weatherTool], messages: [{ role: "user", content: "hi" }] };
    const anthropic = {
      tools: [
        {
          name: "get_weather",
          description: "Weather for a city",
          input_schema: weatherTool.function.parameters,
        },
      ],
      messages: [{ role: "user", content: "hi" }],
    };
    expect(hexes(anthropic, "anthropic")[0]).not.toBe(hexes(openai, "openai")[0]);
  });
});
