import { describe, expect, it } from "vitest";
import { UsageSniffer } from "../src/stream/usage-sniffer.js";

describe("UsageSniffer", () => {
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
