import { isRecord, type JsonObject } from "../../protocol/json.js";
import { parseEventData } from "../../stream/malformed-stream.js";
import type { StreamEndCheck } from "../../stream/stream-transformer.js";

/**
 * Whether an OpenAI stream that ended without `data: [DONE]` still delivered
 * its end: a chunk with a finish reason and, when the request asked for it
 * (`stream_options.include_usage`), the usage chunk. Some OpenAI-compatible
 * servers never send `[DONE]`; such a stream is complete. One look at each
 * chunk's `choices[0]` and `usage`, nothing kept.
 */
export class OpenaiStreamEnd implements StreamEndCheck {
  readonly finalEvent = "data: [DONE]";
  private finishReason = false;
  private usage = false;

  constructor(private readonly usageAsked: boolean) {}

  /** `[DONE]` and error chunks end the stream; any other chunk is noted. */
  isFinal(data: string): boolean {
    if (data === "[DONE]") return true;
    const value = parseEventData(data);
    if (value.error !== undefined && value.error !== null) return true;
    this.see(value);
    return false;
  }

  /** Notes one chunk (its data, parsed). */
  see(chunk: JsonObject): void {
    if (!this.usage && isRecord(chunk.usage)) this.usage = true;
    if (this.finishReason) return;
    const choices = chunk.choices;
    const choice: unknown = Array.isArray(choices) ? choices[0] : undefined;
    if (isRecord(choice) && typeof choice.finish_reason === "string") this.finishReason = true;
  }

  /** The stream delivered its end (without `[DONE]`). */
  get complete(): boolean {
    return this.finishReason && (this.usage || !this.usageAsked);
  }
}
