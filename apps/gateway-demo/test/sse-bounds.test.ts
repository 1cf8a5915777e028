import { describe, expect, it } from "vitest";
import { AnthropicToOpenaiStream } from "../src/dialects/anthropic/stream-to-openai.js";
import { OpenaiToAnthropicStream } from "../src/dialects/openai/stream-to-anthropic.js";
import { MalformedStream } from "../src/stream/malformed-stream.js";
import { SseDecoder } from "../src/stream/sse-decoder.js";
import { passthrough } from "./helpers/passthrough.js";

// Issue 14.7: every stream is read the same way, translated or not, and no event grows without bound.

const b = (text: string) => Buffer.from(text);
const text = (out: string | Buffer) => (typeof out === "string" ? out : out.toString());

/** Pushes `piece` until the transformer throws; the number of pushes it took. */
function pushesUntilThrow(push: (chunk: Buffer) => unknown, piece: Buffer, limit: number) {
  for (let i = 1; i <= limit; i++) {
    try {
      push(piece);
    } catch (error) {
      expect(error).toBeInstanceOf(MalformedStream);
      expect((error as Error).message).toContain("upstream.max_sse_event_bytes");
      return i;
    }
  }
  return Number.POSITIVE_INFINITY;
}

describe("an SSE event above the bound is an error as soon as it outgrows it", () => {
  const piece = b("x".repeat(100));
  it.each([
    ["the decoder", () => new SseDecoder(1024)],
    ["the passthrough", () => passthrough("openai", 1024)],
  ])("%s stops after about 1 KiB of one event, not at its end", (_name, make) => {
    const sse = make();
    sse.push(b('data: {"a":"'));
    expect(pushesUntilThrow((c) => sse.push(c), piece, 1_000)).toBe(11);
  });

  it("a complete event above the bound in one chunk is refused too", () => {
    const big = b(`data: {"a":"${"x".repeat(2_000)}"}\n\n`);
    expect(() => new SseDecoder(1024).push(big)).toThrow(MalformedStream);
    expect(() => passthrough("anthropic", 1024).push(big)).toThrow(MalformedStream);
  });

  it("events below the bound pass in any number", () => {
    const p = passthrough("openai", 1024);
    let out = "";
    for (let i = 0; i < 100; i++) out += text(p.push(b(`data: {"i":${i}}\n\n`)));
    expect(out.split("\n\n").length).toBe(101);
  });
});

describe("the passthrough reads each event as the translators do", () => {
  it("data that is not a JSON object throws, whatever the dialect", () => {
    for (const data of ['{"id":"x","choices":[', "not json", "1", "[1]"]) {
      expect(() => passthrough("openai", 1024).push(b(`data: ${data}\n\n`))).toThrow(
        MalformedStream,
      );
      expect(() => passthrough("anthropic", 1024).push(b(`data: ${data}\n\n`))).toThrow(
        MalformedStream,
      );
    }
  });

  it("[DONE] ends an OpenAI stream only; what follows the final event passes unchecked", () => {
    const openai = passthrough("openai", 1024);
    expect(text(openai.push(b("data: [DONE]\n\ndata: junk\n\n")))).toBe(
      "data: [DONE]\n\ndata: junk\n\n",
    );
    expect(() => passthrough("anthropic", 1024).push(b("data: [DONE]\n\n"))).toThrow(
      MalformedStream,
    );
    const anthropic = passthrough("anthropic", 1024);
    const stop = 'event: message_stop\ndata: {"type":"message_stop"}\n\n';
    expect(text(anthropic.push(b(`${stop}junk`)))).toBe(`${stop}junk`);
  });

  it("comments before the first event are dropped; a stream of comments only yields nothing", () => {
    const p = passthrough("openai", 1024);
    expect(p.push(b(": keep-alive\n\n")).length).toBe(0);
    expect(text(p.push(b(': again\n\ndata: {"a":1}\n\n: later\n\n')))).toBe(
      'data: {"a":1}\n\n: later\n\n',
    );
    const quiet = passthrough("openai", 1024);
    expect(quiet.push(b(": nothing\n\n")).length + quiet.end().length).toBe(0);
  });

  it("an unfinished last event counts at the end when it parses, and throws when it does not", () => {
    const whole = passthrough("openai", 1024);
    const finish = 'data: {"choices":[{"finish_reason":"stop"}]}';
    whole.push(b(finish));
    expect(text(whole.end())).toBe(finish);
    const cut = passthrough("openai", 1024);
    cut.push(b('data: {"a":1}\n\ndata: {"a":'));
    expect(() => cut.end()).toThrow(MalformedStream);
  });

  it("a CRLF blank line split across chunks ends the event", () => {
    const p = passthrough("openai", 1024);
    expect(p.push(b('data: {"a":1}\r\n\r')).length).toBe(0);
    expect(text(p.push(b('\ndata: {"a":2}\r\n\r\n')))).toBe(
      'data: {"a":1}\r\n\r\ndata: {"a":2}\r\n\r\n',
    );
  });
});

describe("the decoder and the translators", () => {
  it("a CRLF split between two chunks is one line end, not a blank line", () => {
    const d = new SseDecoder(1024);
    expect(d.push(b("event: x\r"))).toEqual([]);
    expect(d.push(b("\ndata: {}\r\n\r\n"))).toEqual([{ event: "x", data: "{}" }]);
  });

  it("a translator throws on data that is not a JSON object instead of skipping it", () => {
    const start = b(
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1"}}\n\n',
    );
    const toOpenai = new AnthropicToOpenaiStream(false, 1024);
    expect(text(toOpenai.push(start))).toContain("chat.completion.chunk");
    expect(() => toOpenai.push(b('event: content_block_delta\ndata: {"type":\n\n'))).toThrow(
      MalformedStream,
    );
    const toAnthropic = new OpenaiToAnthropicStream(1024);
    expect(text(toAnthropic.push(b('data: {"id":"c","choices":[]}\n\n')))).toContain(
      "message_start",
    );
    expect(() => toAnthropic.push(b("data: {oops}\n\n"))).toThrow(MalformedStream);
    expect(() => new AnthropicToOpenaiStream(false, 1024).push(b("data: [DONE]\n\n"))).toThrow(
      MalformedStream,
    );
  });
});
