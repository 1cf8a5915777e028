import type { StreamTransformer } from "./stream-transformer.js";

const LF2 = Buffer.from("\n\n");
const CRLF2 = Buffer.from("\r\n\r\n");

/**
 * Same dialect on both sides: bytes pass through untouched, but only up to
 * the last complete event of each chunk (the tail waits for the next chunk),
 * so a stream that breaks mid-event can still end with a clean error event.
 */
export class SsePassthrough implements StreamTransformer {
  private tail: Buffer | undefined;
  readonly usage = undefined;

  push(chunk: Buffer): Buffer {
    const data = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    const lf = data.lastIndexOf(LF2);
    const crlf = data.lastIndexOf(CRLF2);
    const cut = Math.max(lf === -1 ? -1 : lf + 2, crlf === -1 ? -1 : crlf + 4);
    if (cut === -1) {
      this.tail = data;
      return EMPTY;
    }
    this.tail = cut < data.length ? data.subarray(cut) : undefined;
    return cut === data.length ? data : data.subarray(0, cut);
  }

  end(): Buffer {
    const rest = this.tail ?? EMPTY;
    this.tail = undefined;
    return rest;
  }
}

const EMPTY = Buffer.alloc(0);
