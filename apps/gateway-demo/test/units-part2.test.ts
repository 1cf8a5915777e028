import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { FastHistogram } from "../src/metrics/fast-histogram.js";
import { parseJsonObject } from "../src/pipeline/parse-json.js";
import { extractUsage, spliceUsage, usageSpan } from "../src/pipeline/usage-extract.js";
import { isStorableAnswer } from "../src/response-cache/answer-shape.js";
import { replayAsStream } from "../src/stream/replay-stream.js";
import { SseDecoder } from "../src/stream/sse-decoder.js";
import { UsageSniffer } from "../src/stream/usage-sniffer.js";
import { parsePrometheus } from "./helpers/prometheus.js";

describe("storable answers", () => {
  const completion = (message: Record<string, unknown>, finish = "stop") => ({
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "hi", ...message },
        finish_reason: finish,
      },
    ],
  });

  it("only one finished text answer is stored", () => {
    expect(isStorableAnswer("openai", completion({}))).toBe(true);
    expect(isStorableAnswer("openai", completion({}, "length"))).toBe(true);
    expect(
      isStorableAnswer("openai", completion({ tool_calls: [{ id: "c" }] }, "tool_calls")),
    ).toBe(false);
    expect(isStorableAnswer("openai", completion({}, "content_filter"))).toBe(false);
    expect(isStorableAnswer("openai", completion({ refusal: "no" }))).toBe(false);
    expect(isStorableAnswer("openai", { choices: [] })).toBe(false);
    const message = {
      type: "message",
      stop_reason: "end_turn",
      content: [{ type: "text", text: "hi" }],
    };
    expect(isStorableAnswer("anthropic", message)).toBe(true);
    expect(
      isStorableAnswer("anthropic", {
        ...message,
        content: [{ type: "tool_use", id: "t", input: {} }],
      }),
    ).toBe(false);
    expect(isStorableAnswer("anthropic", { ...message, stop_reason: "tool_use" })).toBe(false);
  });
});

describe("replaying a stored answer as a stream", () => {
  it("OpenAI: role, content, finish, usage (when asked), [DONE]", () => {
    const out = replayAsStream(
      "openai",
      {
        id: "c1",
        created: 1,
        model: "m",
        choices: [
          { index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      },
      true,
    );
    const events = new SseDecoder().push(Buffer.from(out)).map((e) => e.data);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(chunks[1].choices[0].delta.content).toBe("Hello");
    expect(chunks[2].choices[0].finish_reason).toBe("stop");
    expect(chunks[3].usage.total_tokens).toBe(4);
    expect(replayAsStream("openai", { choices: [] }, false)).not.toContain("usage");
  });

  it("Anthropic: the full event sequence", () => {
    const out = replayAsStream(
      "anthropic",
      {
        id: "msg_1",
        model: "m",
        content: [{ type: "text", text: "Hi" }],
        stop_reason: "end_turn",
        usage: { input_tokens: 3, output_tokens: 1 },
      },
      false,
    );
    const types = new SseDecoder().push(Buffer.from(out)).map((e) => e.event);
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });
});

describe("usage without parsing everything", () => {
  it("extractUsage reads the top-level usage object from the end of a JSON body", () => {
    const body = Buffer.from(
      JSON.stringify({
        choices: [{ message: { content: 'text with "usage": {"prompt_tokens": 999} inside' } }],
        usage: {
          prompt_tokens: 12,
          completion_tokens: 3,
          prompt_tokens_details: { cached_tokens: 0 },
        },
        system_fingerprint: "fp",
      }),
    );
    expect(extractUsage(body, "openai")).toEqual({
      prompt_tokens: 12,
      completion_tokens: 3,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(extractUsage(Buffer.from('{"usage": 3}'), "openai")).toBeUndefined();
    expect(extractUsage(Buffer.from('{"usage": {"input_tokens": 1}}'), "openai")).toBeUndefined();
    expect(extractUsage(Buffer.from('{"usage": {"input_tokens": 1}}'), "anthropic")).toEqual({
      input_tokens: 1,
    });
    expect(extractUsage(Buffer.from('{"usage": {"prompt_tokens": 1'), "openai")).toBeUndefined();
  });

  it("usageSpan only takes a top-level usage; spliceUsage replaces just those bytes", () => {
    const text =
      '{"id":"x","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1},"system_fingerprint":"fp"}';
    const span = usageSpan(Buffer.from(text), "openai");
    expect(span?.usage).toEqual({ prompt_tokens: 5, completion_tokens: 1 });
    const spliced = spliceUsage(Buffer.from(text), span as NonNullable<typeof span>, {
      prompt_tokens: 5,
      cached: 2,
    });
    expect(spliced.toString()).toBe(
      '{"id":"x","choices":[],"usage":{"prompt_tokens":5,"cached":2},"system_fingerprint":"fp"}',
    );
    // A nested usage object (not the response's) is refused: the caller parses the whole body.
    const nested = '{"choices":[{"message":{"usage":{"prompt_tokens":1}}}]}';
    expect(usageSpan(Buffer.from(nested), "openai")).toBeUndefined();
    expect(
      usageSpan(Buffer.from('{"usage":{"prompt_tokens":1}} trailing'), "openai"),
    ).toBeUndefined();
  });

  it("UsageSniffer reads passthrough stream usage from the first and last outputs (message_delta completes message_start)", () => {
    const sniffer = new UsageSniffer("anthropic");
    sniffer.keep(
      Buffer.from(
        'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":10,"cache_read_input_tokens":5,"output_tokens":1}}}\n\n',
      ),
    );
    for (let i = 0; i < 20; i++) sniffer.keep('event: content_block_delta\ndata: {"text":"x"}\n\n');
    sniffer.keep(
      'event: message_delta\r\ndata: {"type":"message_delta","usage":{"output_tokens":7}}\r\n\r\n',
    );
    sniffer.keep("event: message_stop\ndata: {}\n\n");
    expect(sniffer.tokens()).toEqual({ prompt: 15, completion: 7 });
    expect(new UsageSniffer("openai").tokens()).toBeUndefined();
  });
});

describe("small things", () => {
  it("bodies nested deeper than 100 levels are a 400, 100 is fine", () => {
    const nested = (n: number) => `{"a":${"[".repeat(n - 1)}1${"]".repeat(n - 1)}}`;
    expect(() => parseJsonObject(Buffer.from(nested(100)))).not.toThrow();
    expect(() => parseJsonObject(Buffer.from(nested(101)))).toThrow(/nested deeper than 100/);
    expect(() => parseJsonObject(Buffer.from(nested(100_000)))).toThrow(/nested deeper than 100/);
  });

  it("FastHistogram writes prom-client's histogram text", async () => {
    const registry = new Registry();
    const h = new FastHistogram("t_seconds", "A test.", [0.1, 1], registry);
    h.countsAs("t_total", "Counts.", registry);
    const series = h.seriesFor("x", { route: "x" });
    series.observe(0.05);
    series.observe(0.5);
    series.observe(5);
    const m = parsePrometheus(await registry.metrics());
    expect(m.types.get("t_seconds")).toBe("histogram");
    expect(m.value("t_seconds_bucket", { route: "x", le: "0.1" })).toBe(1);
    expect(m.value("t_seconds_bucket", { route: "x", le: "1" })).toBe(2);
    expect(m.value("t_seconds_bucket", { route: "x", le: "+Inf" })).toBe(3);
    expect(m.value("t_seconds_count", { route: "x" })).toBe(3);
    expect(m.value("t_seconds_sum", { route: "x" })).toBeCloseTo(5.55);
    expect(m.value("t_total", { route: "x" })).toBe(3);
  });
});
