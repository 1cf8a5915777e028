const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/**
 * Splits a raw SSE byte stream into complete frames, byte for byte: each frame
 * is its lines plus the blank line that ends it, with the original line
 * terminators (LF, CRLF or CR). Chunks may split anywhere, also inside a
 * multi-byte character or between the CR and LF of a CRLF.
 */
export class SseFrameSplitter {
  private pending: Buffer = EMPTY;
  /** Where scanning resumes in `pending`. */
  private scanAt = 0;
  /** Start of the current line in `pending`. */
  private lineStart = 0;

  /** Adds a chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array | string): Buffer[] {
    const bytes =
      typeof chunk === "string"
        ? Buffer.from(chunk, "utf8")
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    return this.scan(buf, false);
  }

  /**
   * The stream ended: the frames still completable (a trailing CR ends its
   * line now that no LF can follow) and the bytes of an unfinished last frame
   * (empty if the stream ended on a frame boundary).
   */
  end(): { frames: Buffer[]; rest: Buffer } {
    const frames = this.pending.length === 0 ? [] : this.scan(this.pending, true);
    const rest = this.pending;
    this.pending = EMPTY;
    this.scanAt = 0;
    this.lineStart = 0;
    return { frames, rest };
  }

  private scan(buf: Buffer, final: boolean): Buffer[] {
    const frames: Buffer[] = [];
    let frameStart = 0;
    let lineStart = this.lineStart;
    let i = this.scanAt;
    while (i < buf.length) {
      const byte = buf[i];
      if (byte !== LF && byte !== CR) {
        i++;
        continue;
      }
      let end = i + 1;
      if (byte === CR) {
        if (i + 1 >= buf.length && !final) break; // CR or CRLF: wait for the next byte
        if (buf[i + 1] === LF) end = i + 2;
      }
      if (i === lineStart) {
        frames.push(buf.subarray(frameStart, end));
        frameStart = end;
      }
      lineStart = end;
      i = end;
    }
    // Keep a private copy of the incomplete frame: the caller may reuse its chunk.
    this.pending = frameStart === buf.length ? EMPTY : Buffer.from(buf.subarray(frameStart));
    this.scanAt = i - frameStart;
    this.lineStart = lineStart - frameStart;
    return frames;
  }
}
