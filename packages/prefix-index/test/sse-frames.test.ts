import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  errors,
  parseSseFrame,
  SseFrameSplitter,
  type SseFrameSplitterOptions,
  SseFrameTooLargeError,
} from "../src/index.js";

/** The whole stream at once, by the definition: a frame ends with its first empty line. */
function referenceFrames(stream: Buffer): { frames: string[]; rest: string } {
  const frames: string[] = [];
  let frameStart = 0;
  let lineStart = 0;
  for (let i = 0; i < stream.length; ) {
    const byte = stream[i];
    if (byte !== 0x0a && byte !== 0x0d) {
      i++;
      continue;
    }
    const end = byte === 0x0d && stream[i + 1] === 0x0a ? i + 2 : i + 1;
    if (i === lineStart) {
      frames.push(stream.subarray(frameStart, end).toString("latin1"));
      frameStart = end;
    }
    lineStart = end;
    i = end;
  }
  return { frames, rest: stream.subarray(frameStart).toString("latin1") };
}

function splitAt(stream: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, stream.length]) {
    chunks.push(stream.subarray(from, point));
    from = point;
  }
  return chunks;
}

function run(chunks: Buffer[], options?: SseFrameSplitterOptions) {
  const splitter = new SseFrameSplitter(options);
  const frames: string[] = [];
  for (const chunk of chunks) {
    for (const frame of splitter.push(chunk)) frames.push(frame.toString("latin1"));
  }
  const end = splitter.end();
  for (const frame of end.frames) frames.push(frame.toString("latin1"));
  return { frames, rest: end.rest.toString("latin1") };
}

const sseText = fc
  .array(fc.constantFrom("data: x", "event: e", ":c", "\n", "\r", "\r\n", "é", "a"), {
    maxLength: 40,
  })
  .map((parts) => Buffer.from(parts.join(""), "utf8"));

describe("SseFrameSplitter", () => {
  it("splits any stream, chunked anywhere, as the whole stream is split at once", () => {
    fc.assert(
      fc.property(sseText, fc.array(fc.nat(), { maxLength: 8 }), (stream, cuts) => {
        const chunked = run(splitAt(stream, cuts));
        const whole = referenceFrames(stream);
        // A trailing CR ends its line at the end of the stream.
        if (stream.at(-1) === 0x0d) {
          const withLf = referenceFrames(Buffer.concat([stream, Buffer.from("x")]));
          whole.frames = withLf.frames;
          whole.rest = withLf.rest.slice(0, -1);
        }
        expect(chunked).toEqual(whole);
      }),
      { numRuns: 2_000 },
    );
  });

  it("does not keep what the caller passed: it may reuse its chunk", () => {
    const splitter = new SseFrameSplitter();
    const chunk = Buffer.from("data: a");
    splitter.push(chunk);
    chunk.fill(0x20);
    expect(splitter.push("\n\n").map(String)).toEqual(["data: a\n\n"]);
  });

  it("throws as soon as an unfinished frame outgrows maxFrameBytes", () => {
    const splitter = new SseFrameSplitter({ maxFrameBytes: 100 });
    splitter.push("data: ");
    let pushes = 0;
    expect(() => {
      for (;;) {
        pushes++;
        splitter.push("x".repeat(10));
      }
    }).toThrow(SseFrameTooLargeError);
    expect(pushes).toBe(10); // 6 + 10 * 10 = 106 > 100
  });

  it("bounds a frame without the blank line that ends it, complete or not", () => {
    const frame = `data: ${"x".repeat(94)}\n`; // 101 bytes, its line end counted
    expect(() => new SseFrameSplitter({ maxFrameBytes: 100 }).push(`${frame}\n`)).toThrow(
      SseFrameTooLargeError,
    );
    expect(new SseFrameSplitter({ maxFrameBytes: 101 }).push(`${frame}\r\n`)).toHaveLength(1);
    const split = new SseFrameSplitter({ maxFrameBytes: 101 });
    expect(split.push(`${frame}\r`)).toEqual([]); // the CR is the blank line: not counted
    expect(split.push("\n").map(String)).toEqual([`${frame}\r\n`]);
    const error = new SseFrameTooLargeError(7);
    expect(error.code).toBe("E_SSE_FRAME_TOO_LARGE");
    expect(error.maxFrameBytes).toBe(7);
    expect(error.message).toContain("7 bytes");
    expect(errors.E_SSE_FRAME_TOO_LARGE).toBe(SseFrameTooLargeError);
  });

  it("frames within the bound pass in any number", () => {
    const splitter = new SseFrameSplitter({ maxFrameBytes: 16 });
    const frames = splitter.push("data: 1\n\n".repeat(1_000));
    expect(frames).toHaveLength(1_000);
  });
});

/** The specification's field reading, written plainly. */
function referenceFields(text: string) {
  let event: string | undefined;
  let data: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "event") event = value;
    if (name === "data") data = data === undefined ? value : `${data}\n${value}`;
  }
  return { event, data };
}

describe("parseSseFrame", () => {
  it("reads any frame as the specification's plain reading does", () => {
    const line = fc.constantFrom(
      "data",
      "data:",
      "data: x",
      "data:y",
      "data:  two",
      "event: e",
      "event:",
      "event",
      ": comment",
      "id: 1",
      "database: q",
      "eventful: z",
      "dat",
      "",
      "é €",
    );
    const end = fc.constantFrom("\n", "\r\n", "\r");
    const frame = fc
      .array(fc.tuple(line, end), { maxLength: 8 })
      .map((lines) => lines.map(([text, terminator]) => text + terminator).join(""));
    fc.assert(
      fc.property(frame, (text) => {
        expect(parseSseFrame(Buffer.from(text))).toEqual(referenceFields(text));
        expect(parseSseFrame(text)).toEqual(referenceFields(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it("reads event and data as the SSE specification does", () => {
    expect(parseSseFrame("event: x\r\ndata: a\rdata:b\ndata\n: comment\nid: 1\n\n")).toEqual({
      event: "x",
      data: "a\nb\n",
    });
    expect(parseSseFrame(Buffer.from("data:  two spaces\n\n"))).toEqual({
      event: undefined,
      data: " two spaces",
    });
    expect(parseSseFrame(": only a comment\n\n")).toEqual({ event: undefined, data: undefined });
    expect(parseSseFrame("event: ping\n\n")).toEqual({ event: "ping", data: undefined });
    const euro = Buffer.from("xxdata: €\n\n");
    expect(parseSseFrame(euro.subarray(2))).toEqual({ event: undefined, data: "€" });
  });
});
