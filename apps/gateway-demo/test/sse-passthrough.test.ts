import { describe, expect, it } from "vitest";
import { passthrough } from "./helpers/passthrough.js";

describe("SSE passthrough", () => {
  it("passthrough forwards whole events only and keeps the tail for the next chunk", () => {
    const p = passthrough("openai", 1024);
    expect(p.push(Buffer.from('data: {"n":1}\n\ndata: {"n":2')).toString()).toBe(
      'data: {"n":1}\n\n',
    );
    expect(p.push(Buffer.from("2}\n\n")).toString()).toBe('data: {"n":22}\n\n');
    const last = 'data: {"partial":true,"choices":[{"finish_reason":"stop"}]}';
    expect(p.push(Buffer.from(last)).length).toBe(0);
    expect(p.end().toString()).toBe(last);
  });

  it("a CR alone ends a line as LF and CRLF do (the same splitter as the translators)", () => {
    const p = passthrough("openai", 1024);
    const first = 'data: {"a":1}\r\r';
    const second = 'data: {"a":2}\r\r'; // its last CR may start a CRLF: it waits for the next byte
    expect(p.push(Buffer.from(first + second)).toString()).toBe(first);
    expect(p.push(Buffer.from('data: {"a":3}')).toString()).toBe(second);
  });
});
