import { SseFrameTooLargeError } from "./errors.js";

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);
const COLON = 0x3a;
const SPACE = 0x20;

export interface SseFrameSplitterOptions {
  /**
   * The largest frame in bytes, its lines and their line ends counted, the
   * blank line that ends it not. A frame that outgrows it throws
   * {@link SseFrameTooLargeError} as soon as it does: complete, or still
   * unfinished at the end of a chunk. Default: no bound.
   */
  readonly maxFrameBytes?: number | undefined;
}

/**
 * Splits a raw SSE byte stream into complete frames, byte for byte: each frame
 * is its lines plus the blank line that ends it, with the original line
 * terminators (LF, CRLF or CR). Chunks may split anywhere, also inside a
 * multi-byte character or between the CR and LF of a CRLF.
 *
 * Linear in the stream's length: each byte is searched once (with
 * `Buffer#indexOf`), and an unfinished frame is kept in pieces that are
 * joined once, when the frame completes.
 */
export class SseFrameSplitter {
  private readonly maxFrameBytes: number;
  /** The unfinished frame: private copies of its bytes so far. */
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  /** The bytes so far end a line: a line end next is a blank line. */
  private atLineStart = true;
  /** The last chunk ended with a CR: an LF first in the next chunk is part of its line end. */
  private endedInCr = false;
  /** ... and that CR was a blank line: the frame ends with it (and that LF, if any). */
  private crEndsFrame = false;

  constructor(options: SseFrameSplitterOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Adds a chunk; returns the frames it completed, in order. A frame that
   * lies within the chunk is a view of it, not a copy.
   */
  push(chunk: Uint8Array | string): Buffer[] {
    const bytes = asBuffer(chunk);
    if (bytes.length === 0) return [];
    const frames: Buffer[] = [];
    let start = 0; // where the unfinished frame's bytes in this chunk begin
    let lineStart = this.atLineStart ? 0 : -1;
    if (this.endedInCr) {
      const end = bytes[0] === LF ? 1 : 0;
      if (this.crEndsFrame) {
        frames.push(this.take(bytes, 0, end, this.pendingBytes - 1));
        start = end;
      }
      lineStart = end;
      this.endedInCr = false;
    }
    const from = Math.max(lineStart, 0);
    let lf = bytes.indexOf(LF, from);
    let cr = bytes.indexOf(CR, from);
    while (lf !== -1 || cr !== -1) {
      const at = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      let end = at + 1;
      if (at === cr) {
        if (end === bytes.length) {
          // CR or CRLF: the next chunk says which.
          this.endedInCr = true;
          this.crEndsFrame = at === lineStart;
          break;
        }
        if (bytes[end] === LF) end += 1;
      }
      if (at === lineStart) {
        frames.push(this.take(bytes, start, end, this.pendingBytes + at - start));
        start = end;
      }
      lineStart = end;
      if (lf !== -1 && lf < end) lf = bytes.indexOf(LF, end);
      if (cr !== -1 && cr < end) cr = bytes.indexOf(CR, end);
    }
    this.atLineStart = lineStart === bytes.length;
    if (start < bytes.length) {
      // A private copy: the caller may reuse its chunk.
      this.pieces.push(Buffer.from(bytes.subarray(start)));
      this.pendingBytes += bytes.length - start;
      if (this.pendingBytes - (this.crEndsFrame && this.endedInCr ? 1 : 0) > this.maxFrameBytes) {
        throw new SseFrameTooLargeError(this.maxFrameBytes);
      }
    }
    return frames;
  }

  /**
   * The stream ended: the frames still completable (a trailing CR ends its
   * line now that no LF can follow) and the bytes of an unfinished last frame
   * (empty if the stream ended on a frame boundary).
   */
  end(): { frames: Buffer[]; rest: Buffer } {
    const crEndsFrame = this.endedInCr && this.crEndsFrame;
    const pending = this.take(EMPTY, 0, 0, 0);
    this.atLineStart = true;
    this.endedInCr = false;
    this.crEndsFrame = false;
    return crEndsFrame ? { frames: [pending], rest: EMPTY } : { frames: [], rest: pending };
  }

  /**
   * The pending pieces and `bytes[from, to)` as one frame; `size` is its
   * length without the blank line that ends it, checked against the bound
   * before anything is copied.
   */
  private take(bytes: Buffer, from: number, to: number, size: number): Buffer {
    if (size > this.maxFrameBytes) throw new SseFrameTooLargeError(this.maxFrameBytes);
    const part = bytes.subarray(from, to);
    if (this.pieces.length === 0) return part;
    const frame = Buffer.concat(
      part.length === 0 ? this.pieces : [...this.pieces, part],
      this.pendingBytes + part.length,
    );
    this.pieces = [];
    this.pendingBytes = 0;
    return frame;
  }
}

/** The fields of one SSE frame a reader needs. */
export interface SseFrameFields {
  /** The last `event:` field, if any. */
  readonly event: string | undefined;
  /** The `data:` fields joined with `\n`; `undefined` when there is none. */
  readonly data: string | undefined;
}

/**
 * Reads one frame (or the text of one) as the SSE specification does: lines
 * end with LF, CRLF or CR; a line starting with `:` is a comment; a field
 * name runs up to the first `:` (a line without one is a field with an empty
 * value), and one space after the colon is dropped. Other fields (`id`,
 * `retry`) are ignored.
 */
export function parseSseFrame(frame: Uint8Array | string): SseFrameFields {
  let text = typeof frame === "string" ? frame : asBuffer(frame).toString("utf8");
  if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
  let event: string | undefined;
  let data: string | undefined;
  for (let at = 0; at < text.length; ) {
    let eol = text.indexOf("\n", at);
    if (eol === -1) eol = text.length;
    // Only `data` and `event` lines matter: comments and other fields are skipped.
    const nameEnd = text.startsWith("data", at)
      ? at + 4
      : text.startsWith("event", at)
        ? at + 5
        : -1;
    if (nameEnd !== -1 && (nameEnd === eol || text.charCodeAt(nameEnd) === COLON)) {
      let from = nameEnd + 1;
      if (from < eol && text.charCodeAt(from) === SPACE) from += 1;
      const value = from >= eol ? "" : text.slice(from, eol);
      if (nameEnd - at === 5) event = value;
      else data = data === undefined ? value : `${data}\n${value}`;
    }
    at = eol + 1;
  }
  return { event, data };
}

/** The bytes as a `Buffer`, without a copy. */
function asBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  return Buffer.isBuffer(chunk)
    ? chunk
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
