import { parseSseFrame } from "@switchyard/prefix-index";
import { endedEarly } from "./malformed-stream.js";
import { SseFrames } from "./sse-decoder.js";
import type { StreamEndCheck, StreamTransformer } from "./stream-transformer.js";

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
 * Frames come from {@link SseFrames} (linear); the events of one chunk go
 * out as one view of it when they lie in it.
 */
export class SsePassthrough implements StreamTransformer {
  readonly usage = undefined;
  private readonly frames: SseFrames;
  /** An event went out: from here on everything passes. */
  private started = false;
  /** The final event went out: the rest passes unchecked. */
  private finished = false;

  constructor(
    private readonly endCheck: StreamEndCheck,
    maxEventBytes: number,
  ) {
    this.frames = new SseFrames(maxEventBytes);
  }

  push(chunk: Buffer): Buffer {
    if (this.finished || chunk.length === 0) return chunk;
    const frames = this.frames.push(chunk);
    let first = this.started ? 0 : -1;
    for (let i = 0; i < frames.length && !this.finished; i++) {
      if (this.isEvent(frames[i] as Buffer) && first === -1) first = i;
    }
    if (first === -1) return EMPTY; // nothing but comments so far
    this.started = true;
    const out = first === 0 ? frames : frames.slice(first);
    if (this.finished) {
      const rest = this.frames.end();
      if (rest) out.push(rest);
    }
    return joined(out);
  }

  /**
   * The stream ended: an unfinished last event still counts when it parses;
   * a stream that started but never sent its final event throws.
   */
  end(): Buffer {
    let rest: Buffer = EMPTY;
    const tail = this.finished ? undefined : this.frames.end();
    if (tail && (this.isEvent(tail) || this.started)) {
      this.started = true;
      rest = tail;
    }
    if (this.started && !this.finished && !this.endCheck.complete) {
      throw endedEarly(this.endCheck.finalEvent);
    }
    return rest;
  }

  /** Whether `frame` is an event with data; throws when its data cannot be read. */
  private isEvent(frame: Buffer): boolean {
    const { data } = parseSseFrame(frame);
    if (data === undefined || data === "") return false;
    if (this.endCheck.isFinal(data)) this.finished = true;
    return true;
  }
}

/** The frames as one buffer: a view when they lie one after another in one chunk. */
function joined(frames: readonly Buffer[]): Buffer {
  const first = frames[0];
  if (first === undefined) return EMPTY;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < frames.length; i++) {
    const frame = frames[i] as Buffer;
    if (frame.buffer !== first.buffer || frame.byteOffset !== end) return Buffer.concat(frames);
    end += frame.length;
  }
  return frames.length === 1
    ? first
    : Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
