import { parseSseFrame, SseFrameSplitter, SseFrameTooLargeError } from "@switchyard/prefix-index";
import { eventTooLarge } from "./malformed-stream.js";

export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/**
 * An upstream stream's SSE frames, byte for byte: `@switchyard/prefix-index`'s
 * `SseFrameSplitter` (linear, LF/CRLF/CR, chunks split anywhere), with an
 * event above `maxEventBytes` thrown as {@link MalformedStream} as soon as it
 * outgrows the bound.
 */
export class SseFrames {
  private readonly splitter: SseFrameSplitter;

  constructor(private readonly maxEventBytes: number) {
    this.splitter = new SseFrameSplitter({ maxFrameBytes: maxEventBytes });
  }

  /** The frames this chunk completed. */
  push(chunk: Buffer): Buffer[] {
    try {
      return this.splitter.push(chunk);
    } catch (error) {
      throw error instanceof SseFrameTooLargeError ? eventTooLarge(this.maxEventBytes) : error;
    }
  }

  /** The stream ended: the last frame, complete or not (`undefined` when nothing is left). */
  end(): Buffer | undefined {
    const { frames, rest } = this.splitter.end();
    const last = frames[0] ?? rest;
    return last.length === 0 ? undefined : last;
  }
}

/**
 * Splits a byte stream into server-sent events (`event:` and `data:` fields;
 * comments and frames without either skipped), read as the SSE
 * specification says (`parseSseFrame`).
 */
export class SseDecoder {
  private readonly frames: SseFrames;

  constructor(maxEventBytes = Number.POSITIVE_INFINITY) {
    this.frames = new SseFrames(maxEventBytes);
  }

  push(chunk: Buffer): SseEvent[] {
    const events: SseEvent[] = [];
    for (const frame of this.frames.push(chunk)) {
      const event = eventOf(frame);
      if (event) events.push(event);
    }
    return events;
  }

  /** The last event when the stream ended without a blank line. */
  flush(): SseEvent[] {
    const last = this.frames.end();
    const event = last && eventOf(last);
    return event ? [event] : [];
  }
}

function eventOf(frame: Buffer): SseEvent | undefined {
  const { event, data } = parseSseFrame(frame);
  return data === undefined && event === undefined ? undefined : { event, data: data ?? "" };
}
