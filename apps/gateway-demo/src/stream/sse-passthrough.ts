import { endedEarly, eventTooLarge } from "./malformed-stream.js";
import { parseBlock } from "./sse-decoder.js";
import type { StreamEndCheck, StreamTransformer } from "./stream-transformer.js";

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/**
 * Same dialect on both sides: bytes pass through untouched, but only whole
 * events (the unfinished tail waits for the next chunk, so a stream that
 * breaks mid-event can still end with a clean error event), and each event
 * is read as the translated path reads it: its data must be a JSON object
 * (or OpenAI's `[DONE]`), and no event may exceed `maxEventBytes`, else
 * `MalformedStream` is thrown. Comments and other blocks without data
 * before the first event are dropped (the first event is where the
 * response starts); after the final event (the dialect's {@link StreamEndCheck}
 * says which) nothing more is checked. A stream that ends without it after
 * its first event throws too, unless the dialect says it is complete anyway.
 * Linear: an unfinished event is kept in pieces, only new bytes are
 * searched for its end.
 */
export class SsePassthrough implements StreamTransformer {
  readonly usage = undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The last two pending bytes: a blank line may straddle two chunks. */
  private pendingTail: Buffer = EMPTY;
  /** An event went out: from here on everything passes. */
  private started = false;
  /** The final event went out: the rest passes unchecked. */
  private finished = false;
  constructor(
    private readonly endCheck: StreamEndCheck,
    private readonly maxEventBytes: number,
  ) {}

  push(chunk: Buffer): Buffer {
    if (this.finished || chunk.length === 0) return chunk;
    const straddles =
      this.pendingBytes > 0 &&
      blankLine(Buffer.concat([this.pendingTail, chunk.subarray(0, 2)]), 0) !== undefined;
    if (!straddles && blankLine(chunk, 0) === undefined) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      this.pendingTail =
        chunk.length >= 2
          ? chunk.subarray(-2)
          : Buffer.concat([this.pendingTail, chunk]).subarray(-2);
      if (this.pendingBytes > this.maxEventBytes) throw eventTooLarge(this.maxEventBytes);
      return EMPTY;
    }
    const data = this.pending.length === 0 ? chunk : Buffer.concat([...this.pending, chunk]);
    let start = 0;
    let out = this.started ? 0 : -1;
    for (let blank = blankLine(data, 0); blank !== undefined; blank = blankLine(data, start)) {
      const [end, next] = blank;
      if (end - start > this.maxEventBytes) throw eventTooLarge(this.maxEventBytes);
      if (this.isEvent(data, start, end) && out === -1) out = start;
      start = this.finished ? data.length : next;
      if (this.finished) break;
    }
    this.keep(data.subarray(start));
    if (out === -1) return EMPTY; // nothing but comments so far
    this.started = true;
    return data.subarray(out, start);
  }

  /**
   * The stream ended: an unfinished last event still counts when it parses;
   * a stream that started but never sent its final event throws.
   */
  end(): Buffer {
    let rest = EMPTY;
    if (!this.finished && this.pendingBytes > 0) {
      const tail = Buffer.concat(this.pending);
      this.keep(EMPTY);
      if (this.isEvent(tail, 0, tail.length) || this.started) {
        this.started = true;
        rest = tail;
      }
    }
    if (this.started && !this.finished && !this.endCheck.complete) {
      throw endedEarly(this.endCheck.finalEvent);
    }
    return rest;
  }

  private keep(rest: Buffer): void {
    this.pending = rest.length === 0 ? [] : [rest];
    this.pendingBytes = rest.length;
    this.pendingTail = rest.subarray(-2);
    if (rest.length > this.maxEventBytes) throw eventTooLarge(this.maxEventBytes);
  }

  /** Whether `data[start, end)` is an event with data; throws when its data cannot be read. */
  private isEvent(data: Buffer, start: number, end: number): boolean {
    const text = data.toString("utf8", start, end);
    const block = parseBlock(text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text);
    if (block === undefined || block.data === "") return false;
    if (this.endCheck.isFinal(block.data)) this.finished = true;
    return true;
  }
}

/**
 * The first blank line at or after `from`: the offset of the `\n` that ends
 * the event's last line and the offset after the blank line (`\n\n` or
 * `\n\r\n`, so `\r\n\r\n` too); `undefined` when there is none.
 */
function blankLine(data: Buffer, from: number): [number, number] | undefined {
  for (let lf = data.indexOf(LF, from); lf !== -1; lf = data.indexOf(LF, lf + 1)) {
    const next = data[lf + 1];
    if (next === LF) return [lf, lf + 2];
    if (next === CR && data[lf + 2] === LF) return [lf, lf + 3];
  }
  return undefined;
}
