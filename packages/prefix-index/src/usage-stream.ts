import type { Classification } from "./classification.js";
import type { ResponseOutcome } from "./response-outcome.js";
import type { FrameInspection } from "./sse-usage-frame.js";
import { SseUsageRewriter } from "./sse-usage-rewriter.js";
import type { ApiFormat, JsonObject } from "./types.js";
import { type BilledUsage, reportUsage } from "./usage.js";

/**
 * The usage rewriter of one streamed response: an `SseUsageRewriter` whose
 * editor scrubs the provider's cache fields and injects the classification's
 * split (gap-capped).
 *
 * - OpenAI: the final chunk's usage; it waits for the classification if needed
 *   (it is the last frame, so nothing else is held).
 * - Anthropic: `message_start` is never held. If the classification has
 *   settled by then, it gets the split; otherwise only the scrub (full
 *   `input_tokens`, no cache fields). `message_delta`, whose usage is
 *   cumulative and final, always carries the split, with `input_tokens` added
 *   from `message_start` when the upstream left it out.
 */
export class UsageStream {
  private readonly rewriter: SseUsageRewriter;
  private readonly pending: Promise<Classification>;
  private settled: Classification | undefined;
  private startPrompt: number | undefined;
  private lastBilled: BilledUsage | undefined;
  private lastCompletion: number | undefined;

  constructor(
    private readonly format: ApiFormat,
    classification: Classification | Promise<Classification>,
  ) {
    if (classification instanceof Promise) {
      this.pending = classification;
      classification.then(
        (c) => {
          this.settled = c;
        },
        () => {},
      );
    } else {
      this.settled = classification;
      this.pending = Promise.resolve(classification);
    }
    this.rewriter = new SseUsageRewriter((usage, frame) => this.edit(usage, frame));
  }

  /** Adds an upstream chunk; resolves to the bytes to send to the client now. */
  push(chunk: Uint8Array | string): Promise<Buffer> {
    return this.rewriter.push(chunk);
  }

  /** The upstream ended: resolves to any unfinished trailing bytes, unchanged. */
  end(): Promise<Buffer> {
    return this.rewriter.end();
  }

  /** The same as a web `TransformStream`. */
  transform(): TransformStream<Uint8Array | string, Uint8Array> {
    return this.rewriter.transform();
  }

  get usageSeen(): boolean {
    return this.rewriter.usageSeen;
  }

  get errorSeen(): boolean {
    return this.rewriter.errorSeen;
  }

  /** What the stream billed: the last input split the client saw, with the last output count. */
  get billed(): BilledUsage | undefined {
    if (this.lastBilled === undefined) return undefined;
    return this.lastCompletion === undefined
      ? this.lastBilled
      : { ...this.lastBilled, completionTokens: this.lastCompletion };
  }

  /** The outcome to pass to `commit` once the stream ended. */
  outcome(status: number): ResponseOutcome {
    return { status, usageSeen: this.usageSeen, errorSeen: this.errorSeen, billed: this.billed };
  }

  private edit(usage: JsonObject, frame: FrameInspection): JsonObject | Promise<JsonObject> {
    const type = this.format === "anthropic" ? frame.data?.type : undefined;
    if (type === "message_start") {
      // Never hold the first frame: without a settled classification it is
      // only scrubbed, and message_delta carries the split.
      const usageOut = this.report(usage, this.settled ?? null);
      this.startPrompt = this.lastBilled?.promptTokens;
      return usageOut;
    }
    return this.pending.then((settled) => {
      const addInput =
        type === "message_delta" &&
        settled.enabled &&
        typeof usage.input_tokens !== "number" &&
        this.startPrompt !== undefined;
      return this.report(addInput ? { ...usage, input_tokens: this.startPrompt } : usage, settled);
    });
  }

  private report(usage: JsonObject, classification: Classification | null): JsonObject {
    const reported = reportUsage(
      this.format,
      usage,
      classification?.enabled === true ? classification : null,
    );
    if (reported.billed !== undefined) this.lastBilled = reported.billed;
    if (reported.completionTokens !== undefined) this.lastCompletion = reported.completionTokens;
    return reported.usage;
  }
}
