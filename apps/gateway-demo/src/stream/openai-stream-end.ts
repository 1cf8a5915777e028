type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Whether an OpenAI stream that ended without `data: [DONE]` still delivered
 * its end: a chunk with a finish reason and, when the request asked for it
 * (`stream_options.include_usage`), the usage chunk. Some OpenAI-compatible
 * servers never send `[DONE]`; such a stream is complete. One look at each
 * chunk's `choices[0]` and `usage`, nothing kept.
 */
export class OpenaiStreamEnd {
  private finishReason = false;
  private usage = false;

  constructor(private readonly usageAsked: boolean) {}

  /** Notes one chunk (its data, parsed). */
  see(chunk: Rec): void {
    if (!this.usage && isRec(chunk.usage)) this.usage = true;
    if (this.finishReason) return;
    const choices = chunk.choices;
    const choice: unknown = Array.isArray(choices) ? choices[0] : undefined;
    if (isRec(choice) && typeof choice.finish_reason === "string") this.finishReason = true;
  }

  /** The stream delivered its end (without `[DONE]`). */
  get complete(): boolean {
    return this.finishReason && (this.usage || !this.usageAsked);
  }
}
