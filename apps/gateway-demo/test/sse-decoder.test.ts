import { describe, expect, it } from "vitest";
import { SseDecoder } from "../src/stream/sse-decoder.js";

describe("SseDecoder", () => {
  it("the decoder handles split multi-byte characters, CRLF and event names", () => {
    const d = new SseDecoder();
    const euro = Buffer.from("event: x\r\ndata: €\r\n\r\n");
    expect(d.push(euro.subarray(0, 18))).toEqual([]);
    expect(d.push(euro.subarray(18))).toEqual([{ event: "x", data: "€" }]);
  });
});
