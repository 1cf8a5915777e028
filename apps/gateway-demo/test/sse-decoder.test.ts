import { describe, expect, it } from "vitest";
import { MalformedStream } from "../src/stream/malformed-stream.js";
import { SseDecoder } from "../src/stream/sse-decoder.js";

describe("SseDecoder", () => {
  it("the decoder handles split multi-byte characters, CRLF and event names", () => {
    const d = new SseDecoder();
    const euro = Buffer.from("event: x\r\ndata: €\r\n\r\n");
    expect(d.push(euro.subarray(0, 18))).toEqual([]);
    expect(d.push(euro.subarray(18))).toEqual([{ event: "x", data: "€" }]);
  });

  it("bounds an event in bytes, also when its characters are fewer", () => {
    // 406 characters, 1,207 bytes with its line end (the blank line after it not counted)
    const euros = Buffer.from(`data: ${"€".repeat(400)}\n\n`);
    expect(() => new SseDecoder(1024).push(euros)).toThrow(MalformedStream);
    expect(() => new SseDecoder(1206).push(euros)).toThrow(MalformedStream);
    expect(new SseDecoder(1207).push(euros)).toHaveLength(1);
  });
});
