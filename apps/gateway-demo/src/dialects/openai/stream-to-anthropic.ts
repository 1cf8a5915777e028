import { isRecord, type JsonObject } from "../../protocol/json.js";
import { endedEarly, parseEventData } from "../../stream/malformed-stream.js";
import { SseDecoder, type SseEvent } from "../../stream/sse-decoder.js";
import type { StreamTransformer, StreamUsage } from "../../stream/stream-transformer.js";
import { anthropicReplyId } from "../reply-ids.js";
import { openaiUsage, stopReasonOf, toAnthropicUsage, type Usage } from "../stop-reasons.js";
import { OpenaiStreamEnd } from "./stream-end.js";

const frame = (type: string, data: JsonObject) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

/**
 * OpenAI chunks -> Anthropic stream events: the first chunk opens the
 * message, text and tool-call deltas open and fill content blocks, and
 * `[DONE]` closes the open block and sends `message_delta` with the stop
 * reason and usage, then `message_stop`. A stream that ends without
 * `[DONE]` is finished so only when it delivered its finish reason and
 * usage chunk (the translated request always asks for it); otherwise it
 * throws, and the client gets an error event instead of a made-up end.
 */
export class OpenaiToAnthropicStream implements StreamTransformer {
  private readonly decoder: SseDecoder;
  private counts: Usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  private started = false;
  private finished = false;
  private block = -1;
  private blockKind: "text" | "tool" | undefined;
  private readonly blockOfTool = new Map<number, number>();
  private stopReason = "end_turn";
  /** The translated request always asks for the usage chunk (anthropic-to-openai-request). */
  private readonly openaiEnd = new OpenaiStreamEnd(true);

  constructor(maxEventBytes: number) {
    this.decoder = new SseDecoder(maxEventBytes);
  }

  get usage(): StreamUsage {
    return { input: this.counts.input + this.counts.cacheRead, output: this.counts.output };
  }

  push(chunk: Buffer): string {
    let out = "";
    for (const event of this.decoder.push(chunk)) out += this.onEvent(event);
    return out;
  }

  end(): string {
    let out = "";
    for (const event of this.decoder.flush()) out += this.onEvent(event);
    if (!this.started || this.finished) return out;
    if (!this.openaiEnd.complete) throw endedEarly("data: [DONE]");
    return out + this.finish();
  }

  private onEvent(event: SseEvent): string {
    if (this.finished) return "";
    if (event.data === "[DONE]") return (this.started ? "" : this.start({})) + this.finish();
    if (event.data === "") return "";
    const data = parseEventData(event.data);
    if (isRecord(data.error)) {
      this.finished = true;
      const message =
        typeof data.error.message === "string" ? data.error.message : "upstream stream error";
      return frame("error", { error: { type: "api_error", message } });
    }
    this.openaiEnd.see(data);
    let out = this.started ? "" : this.start(data);
    if (isRecord(data.usage)) this.counts = openaiUsage(data.usage);
    const choice =
      Array.isArray(data.choices) && isRecord(data.choices[0]) ? data.choices[0] : undefined;
    const delta = choice && isRecord(choice.delta) ? choice.delta : undefined;
    if (delta && typeof delta.content === "string" && delta.content !== "") {
      if (this.blockKind !== "text") out += this.open("text", { type: "text", text: "" });
      out += frame("content_block_delta", {
        index: this.block,
        delta: { type: "text_delta", text: delta.content },
      });
    }
    if (delta && Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) if (isRecord(call)) out += this.toolDelta(call);
    }
    if (choice && typeof choice.finish_reason === "string")
      this.stopReason = stopReasonOf(choice.finish_reason);
    return out;
  }

  private start(data: JsonObject): string {
    this.started = true;
    const message = {
      id: anthropicReplyId(data.id),
      type: "message",
      role: "assistant",
      model: data.model ?? null,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return frame("message_start", { message });
  }

  private open(kind: "text" | "tool", contentBlock: JsonObject): string {
    const close = this.close();
    this.block++;
    this.blockKind = kind;
    return close + frame("content_block_start", { index: this.block, content_block: contentBlock });
  }

  private close(): string {
    if (this.blockKind === undefined) return "";
    this.blockKind = undefined;
    return frame("content_block_stop", { index: this.block });
  }

  private toolDelta(call: JsonObject): string {
    const index = typeof call.index === "number" ? call.index : 0;
    const fn = isRecord(call.function) ? call.function : {};
    let out = "";
    if (!this.blockOfTool.has(index)) {
      out += this.open("tool", {
        type: "tool_use",
        id: call.id ?? `toolu_${index}`,
        name: fn.name ?? "",
        input: {},
      });
      this.blockOfTool.set(index, this.block);
    }
    if (typeof fn.arguments === "string" && fn.arguments !== "") {
      const block = this.blockOfTool.get(index) as number;
      out += frame("content_block_delta", {
        index: block,
        delta: { type: "input_json_delta", partial_json: fn.arguments },
      });
    }
    return out;
  }

  private finish(): string {
    if (this.finished) return "";
    this.finished = true;
    const usage = toAnthropicUsage(this.counts);
    return (
      this.close() +
      frame("message_delta", {
        delta: { stop_reason: this.stopReason, stop_sequence: null },
        usage,
      }) +
      frame("message_stop", {})
    );
  }
}
