import { SseFrameSplitter } from "./sse-frames.js";
import { type FrameInspection, inspectFrame, replaceFrameUsage } from "./sse-usage-frame.js";
import type { JsonObject } from "./types.js";

/** Returns the usage object the client should see for one usage frame. */
export type UsageFrameEditor = (
  usage: JsonObject,
  frame: FrameInspection,
) => JsonObject | Promise<JsonObject>;

/**
 * Rewrites the usage of a raw SSE stream. Feed it the upstream chunks as they
 * come (Buffers, Uint8Arrays or strings, split anywhere, LF or CRLF framed):
 * only a frame carrying a usage object (OpenAI's final chunk, Anthropic's
 * `message_start` and `message_delta`) is edited, and only when the editor
 * changes its usage; every other byte passes through unchanged. A frame is
 * released as soon as it is complete; it waits for the editor only when it
 * carries usage. Calls are serialized, so the output keeps the input's order.
 */
export class SseUsageRewriter {
  private readonly splitter = new SseFrameSplitter();
  private tail: Promise<unknown> = Promise.resolve();
  private sawUsage = false;
  private sawError = false;

  constructor(private readonly edit: UsageFrameEditor) {}

  /** A frame carrying a usage object went through. */
  get usageSeen(): boolean {
    return this.sawUsage;
  }

  /** An error frame (`event: error`, `"type":"error"` or an `error` object) went through. */
  get errorSeen(): boolean {
    return this.sawError;
  }

  /** Adds a chunk; resolves to the bytes to send now (possibly empty). */
  push(chunk: Uint8Array | string): Promise<Buffer> {
    return this.serialize(() => this.process(chunk));
  }

  /** The stream ended: resolves to the unfinished last frame's bytes, unchanged. */
  end(): Promise<Buffer> {
    return this.serialize(async () => {
      const { frames, rest } = this.splitter.end();
      const out: Buffer[] = [];
      for (const frame of frames) out.push(await this.rewrite(frame));
      out.push(rest);
      return Buffer.concat(out);
    });
  }

  /** The same as a web `TransformStream`, e.g. `upstream.body.pipeThrough(rewriter.transform())`. */
  transform(): TransformStream<Uint8Array | string, Uint8Array> {
    return new TransformStream<Uint8Array | string, Uint8Array>({
      transform: async (chunk, controller) => {
        const out = await this.push(chunk);
        if (out.length > 0) controller.enqueue(out);
      },
      flush: async (controller) => {
        const out = await this.end();
        if (out.length > 0) controller.enqueue(out);
      },
    });
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => {});
    return run;
  }

  private async process(chunk: Uint8Array | string): Promise<Buffer> {
    const frames = this.splitter.push(chunk);
    const out: Buffer[] = [];
    for (const frame of frames) out.push(await this.rewrite(frame));
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
  }

  private async rewrite(frame: Buffer): Promise<Buffer> {
    const inspection = inspectFrame(frame);
    if (inspection.isError) this.sawError = true;
    if (inspection.usage === undefined) return frame;
    this.sawUsage = true;
    let usage: JsonObject;
    try {
      usage = await this.edit(inspection.usage, inspection);
    } catch {
      return frame; // never break the stream over accounting
    }
    if (JSON.stringify(usage) === JSON.stringify(inspection.usage)) return frame;
    return replaceFrameUsage(frame, inspection, usage);
  }
}
