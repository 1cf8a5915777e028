import { describe, expect, it } from "vitest";
import {
  type Classification,
  type JsonObject,
  reportUsage,
  SseFrameSplitter,
  SseUsageRewriter,
  UsageStream,
} from "../src/index.js";
import { must } from "./helpers.js";

const classification: Classification = {
  scope: { principalId: "o", virtualModel: "m", tokenizerVersion: "v" },
  enabled: true,
  outcome: "write",
  read: 2000,
  creation: { "5m": 0, "1h": 500, "24h": 0 },
  pendingWrites: [],
  pendingRefresh: null,
};

const openaiUsage = {
  prompt_tokens: 2800,
  completion_tokens: 100,
  total_tokens: 2900,
  prompt_tokens_details: { cached_tokens: 0 },
};
const openaiFinal = { id: "c1", object: "chat.completion.chunk", choices: [], usage: openaiUsage };
const OPENAI = [
  'data: {"id":"c1","choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":null}\r\n\r\n',
  'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Héllo 👋 usage"}}],"usage":null}\r\n\r\n',
  ": keep-alive\r\n\r\n",
  'data:{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}\r\n\r\n',
  `data: ${JSON.stringify(openaiFinal)}\r\n\r\n`,
  "data: [DONE]\r\n\r\n",
];
const OPENAI_EDITED = OPENAI.map((frame, i) =>
  i === 4
    ? `data: ${JSON.stringify({ ...openaiFinal, usage: reportUsage("openai", openaiUsage, classification).usage })}\r\n\r\n`
    : frame,
);

const startMessage = {
  type: "message_start",
  message: {
    id: "msg_1",
    type: "message",
    role: "assistant",
    content: [],
    usage: {
      input_tokens: 1300,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 1500,
      output_tokens: 1,
    },
  },
};
const ANTHROPIC = [
  `event: message_start\ndata: ${JSON.stringify(startMessage)}\n\n`,
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
  'event: ping\ndata: {"type": "ping"}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"no usage error here"}}\n\n',
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":100}}\n\n',
  'event: message_stop\ndata: {"type":"message_stop"}\n\n',
];
const deltaUsage = { output_tokens: 100 };
const ANTHROPIC_EDITED = ANTHROPIC.map((frame, i) => {
  if (i === 0) {
    const usage = reportUsage("anthropic", startMessage.message.usage, classification).usage;
    return `event: message_start\ndata: ${JSON.stringify({ ...startMessage, message: { ...startMessage.message, usage } })}\n\n`;
  }
  if (i === 4) {
    // message_delta usage is cumulative: it gets the full split, input_tokens taken from message_start.
    const usage = reportUsage(
      "anthropic",
      { ...deltaUsage, input_tokens: 2800 },
      classification,
    ).usage;
    const data = { type: "message_delta", delta: { stop_reason: "end_turn" }, usage };
    return `event: message_delta\ndata: ${JSON.stringify(data)}\n\n`;
  }
  return frame;
});

/** Splits `bytes` into chunks at the given cut points. */
function cut(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

function randomCuts(bytes: Buffer, seed: number): Buffer[] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state;
  };
  const chunks: Buffer[] = [];
  let i = 0;
  while (i < bytes.length) {
    const size = 1 + (next() % 40);
    chunks.push(bytes.subarray(i, i + size));
    i += size;
  }
  return chunks;
}

async function run(
  stream: { push(c: Uint8Array | string): Promise<Buffer>; end(): Promise<Buffer> },
  chunks: (Uint8Array | string)[],
) {
  const out: Buffer[] = [];
  for (const chunk of chunks) out.push(await stream.push(chunk));
  out.push(await stream.end());
  return Buffer.concat(out);
}

describe("SSE usage editing", () => {
  const input = Buffer.from(OPENAI.join(""), "utf8");
  const expected = Buffer.from(OPENAI_EDITED.join(""), "utf8");

  it("edits only the OpenAI usage frame; every other byte is identical, CRLF framing included", async () => {
    const stream = new UsageStream("openai", classification);
    const output = await run(stream, [input]);
    expect(output.equals(expected)).toBe(true);
    expect(output.toString("utf8")).toContain('"cache_read_input_tokens":2000');
    expect(stream.usageSeen).toBe(true);
    expect(stream.errorSeen).toBe(false);
    expect(stream.billed).toMatchObject({
      promptTokens: 2800,
      completionTokens: 100,
      cacheReadTokens: 2000,
    });
  });

  it("gives the same bytes for every chunk size, splits in the middle of frames, CRLF pairs and characters", async () => {
    for (let size = 1; size <= 64; size++) {
      const output = await run(new UsageStream("openai", classification), cut(input, size));
      expect(output.equals(expected), `chunk size ${size}`).toBe(true);
    }
    for (let seed = 1; seed <= 50; seed++) {
      const output = await run(new UsageStream("openai", classification), randomCuts(input, seed));
      expect(output.equals(expected), `seed ${seed}`).toBe(true);
    }
  });

  it("accepts strings as well as bytes", async () => {
    const output = await run(new UsageStream("openai", classification), OPENAI);
    expect(output.equals(expected)).toBe(true);
  });

  it("edits Anthropic message_start and message_delta, nothing else", async () => {
    const bytes = Buffer.from(ANTHROPIC.join(""), "utf8");
    for (const size of [1, 3, 17, bytes.length]) {
      const stream = new UsageStream("anthropic", classification);
      const output = await run(stream, cut(bytes, size));
      expect(output.toString("utf8")).toBe(ANTHROPIC_EDITED.join(""));
      expect(stream.billed).toEqual({
        promptTokens: 2800,
        completionTokens: 100,
        cacheReadTokens: 2000,
        cacheCreationTokens: { "5m": 0, "1h": 500, "24h": 0 },
        uncachedTokens: 300,
        gapCap: "none",
      });
    }
    expect(ANTHROPIC_EDITED[0]).toContain('"input_tokens":300');
    expect(ANTHROPIC_EDITED[4]).toContain('"input_tokens":300');
  });

  it("never holds Anthropic's message_start: without a settled classification it is only scrubbed", async () => {
    let settle: (c: Classification) => void = () => {};
    const pending = new Promise<Classification>((resolve) => {
      settle = resolve;
    });
    const stream = new UsageStream("anthropic", pending);
    const start = await stream.push(must(ANTHROPIC[0]));
    const scrubbed = { ...startMessage.message.usage, input_tokens: 2800 } as Record<
      string,
      unknown
    >;
    delete scrubbed.cache_creation_input_tokens;
    delete scrubbed.cache_read_input_tokens;
    expect(JSON.parse(start.toString("utf8").split("data: ")[1] ?? "").message.usage).toEqual(
      scrubbed,
    );
    const middle = await stream.push(ANTHROPIC.slice(1, 4).join(""));
    expect(middle.toString("utf8")).toBe(ANTHROPIC.slice(1, 4).join(""));
    const delta = stream.push(ANTHROPIC.slice(4).join(""));
    settle(classification);
    expect((await delta).toString("utf8")).toBe(ANTHROPIC_EDITED.slice(4).join(""));
    expect(stream.billed).toMatchObject({
      cacheReadTokens: 2000,
      uncachedTokens: 300,
      completionTokens: 100,
    });
  });

  it("a model without a tariff: usage only scrubbed, a message_delta without input count untouched", async () => {
    const disabled: Classification = {
      ...classification,
      enabled: false,
      read: 0,
      creation: { "5m": 0, "1h": 0, "24h": 0 },
    };
    const stream = new UsageStream("anthropic", disabled);
    const output = (await run(stream, [ANTHROPIC.join("")])).toString("utf8");
    expect(output).not.toContain("cache_");
    expect(output).toContain('"input_tokens":2800');
    expect(output.endsWith(ANTHROPIC.slice(1).join(""))).toBe(true);
    expect(stream.billed).toMatchObject({
      promptTokens: 2800,
      cacheReadTokens: 0,
      uncachedTokens: 2800,
      completionTokens: 100,
    });
  });

  it("a stream without a usage frame passes through byte for byte", async () => {
    const bytes = Buffer.from(OPENAI.filter((_, i) => i !== 4).join(""), "utf8");
    const stream = new UsageStream("openai", classification);
    const output = await run(stream, cut(bytes, 5));
    expect(output.equals(bytes)).toBe(true);
    expect(stream.usageSeen).toBe(false);
    expect(stream.outcome(200)).toMatchObject({ status: 200, usageSeen: false });
  });

  it("reports error frames (Anthropic event: error, OpenAI error object)", async () => {
    const anthropic = new UsageStream("anthropic", classification);
    await run(anthropic, [
      must(ANTHROPIC[0]),
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
    ]);
    expect(anthropic.outcome(200)).toMatchObject({ usageSeen: true, errorSeen: true });

    const openai = new UsageStream("openai", classification);
    await run(openai, [
      must(OPENAI[0]),
      'data: {"error":{"message":"boom","type":"server_error"}}\n\n',
    ]);
    expect(openai.errorSeen).toBe(true);
    expect(openai.usageSeen).toBe(false);
  });

  it("passes an unfinished last frame through unchanged at the end", async () => {
    const tail = `data: ${JSON.stringify(openaiFinal)}\r\n`;
    const stream = new UsageStream("openai", classification);
    const output = await run(stream, [must(OPENAI[0]), tail]);
    expect(output.toString("utf8")).toBe(must(OPENAI[0]) + tail);
    expect(stream.usageSeen).toBe(false);
  });

  it("waits for the classification only at the usage frame", async () => {
    let settle: (c: Classification) => void = () => {};
    const pending = new Promise<Classification>((resolve) => {
      settle = resolve;
    });
    const stream = new UsageStream("openai", pending);
    const first = await stream.push(OPENAI.slice(0, 4).join(""));
    expect(first.toString("utf8")).toBe(OPENAI.slice(0, 4).join(""));
    let done = false;
    const usageFrame = stream.push(must(OPENAI[4])).then((b) => {
      done = true;
      return b;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    settle(classification);
    expect((await usageFrame).toString("utf8")).toBe(OPENAI_EDITED[4]);
  });

  it("works as a web TransformStream", async () => {
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of cut(input, 11)) controller.enqueue(chunk);
        controller.close();
      },
    });
    const piped = source.pipeThrough(new UsageStream("openai", classification).transform());
    const parts: Uint8Array[] = [];
    for await (const part of piped as unknown as AsyncIterable<Uint8Array>) parts.push(part);
    expect(Buffer.concat(parts).equals(expected)).toBe(true);
  });
});

describe("the generic rewriter and splitter", () => {
  it("keeps CR-only framing and other lines of the usage frame", async () => {
    const frame = `id: 7\revent: done\rdata: {"usage":{"n":1}}\r\r`;
    const rewriter = new SseUsageRewriter((usage: JsonObject) => ({ ...usage, n: 2 }));
    const output = await run(rewriter, [frame.slice(0, 30), frame.slice(30, -1), frame.slice(-1)]);
    expect(output.toString("utf8")).toBe(`id: 7\revent: done\rdata: {"usage":{"n":2}}\r\r`);
  });

  it("a usage editor that throws leaves the frame as it was", async () => {
    const rewriter = new SseUsageRewriter(() => {
      throw new Error("no");
    });
    const frame = 'data: {"usage":{"n":1}}\n\n';
    expect((await run(rewriter, [frame])).toString("utf8")).toBe(frame);
  });

  it("splits frames byte for byte and waits for the LF after a CR", () => {
    const splitter = new SseFrameSplitter();
    expect(splitter.push("data: a\r\n\r")).toEqual([]);
    const frames = splitter.push("\ndata: b\n\ndata: c");
    expect(frames.map((f) => f.toString("utf8"))).toEqual(["data: a\r\n\r\n", "data: b\n\n"]);
    const end = splitter.end();
    expect(end.frames).toEqual([]);
    expect(end.rest.toString("utf8")).toBe("data: c");
  });

  it("completes a CR-framed last frame at the end of the stream", () => {
    const splitter = new SseFrameSplitter();
    expect(splitter.push("data: a\r\r")).toEqual([]);
    const end = splitter.end();
    expect(end.frames.map((f) => f.toString("utf8"))).toEqual(["data: a\r\r"]);
    expect(end.rest.length).toBe(0);
  });
});
