import { isRecord, type JsonObject } from "../../protocol/json.js";
import { endedEarly, parseEventData } from "../../stream/malformed-stream.js";
import { SseDecoder, type SseEvent } from "../../stream/sse-decoder.js";
import type { StreamTransformer, StreamUsage } from "../../stream/stream-transformer.js";
import { openaiReplyId } from "../reply-ids.js";
import { anthropicUsage, finishReasonOf, toOpenaiUsage, type Usage } from "../stop-reasons.js";

/**
 * Anthropic stream events -> OpenAI `chat.completion.chunk` frames:
 * `message_start` gives the role chunk, text and tool-input deltas become
 * content and `tool_calls` deltas, `message_delta` the finish reason,
 * `message_stop` the usage chunk (with `include_usage`) and `[DONE]`;
 * an `error` event becomes an OpenAI error frame. A stream that ends
 * after an event but without `message_stop` (or `error`) throws: the
 * client gets an error frame, never a stream that merely stops.
 */
export class AnthropicToOpenaiStream implements StreamTransformer {
  private readonly decoder: SseDecoder;
  private readonly counts: Usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  private readonly toolIndexOfBlock = new Map<number, number>();
  /** One `chatcmpl-` id for every chunk; `message_start` gives it its upstream part. */
  private id = openaiReplyId(undefined);
  private model: unknown = null;
  private readonly created = Math.floor(Date.now() / 1000);
  private done = false;
  /** An event arrived (a stream without any is the caller's 502). */
  private seen = false;

  constructor(
    private readonly includeUsage: boolean,
    maxEventBytes: number,
  ) {
    this.decoder = new SseDecoder(maxEventBytes);
  }

  get usage(): StreamUsage {
    return {
      input: this.counts.input + this.counts.cacheRead + this.counts.cacheWrite,
      output: this.counts.output,
    };
  }

  push(chunk: Buffer): string {
    let out = "";
    for (const event of this.decoder.push(chunk)) out += this.onEvent(event);
    return out;
  }

  end(): string {
    let out = "";
    for (const event of this.decoder.flush()) out += this.onEvent(event);
    if (this.seen && !this.done) throw endedEarly("message_stop");
    return out;
  }

  private chunk(delta: JsonObject, finish: string | null = null): string {
    const frame = {
      id: this.id,
      object: "chat.completion.chunk",
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
    return `data: ${JSON.stringify(frame)}\n\n`;
  }

  private onEvent(event: SseEvent): string {
    if (this.done || event.data === "") return "";
    const data = parseEventData(event.data);
    this.seen = true;
    switch (data.type ?? event.event) {
      case "message_start": {
        const message = isRecord(data.message) ? data.message : {};
        if (typeof message.id === "string") this.id = openaiReplyId(message.id);
        this.model = message.model ?? null;
        anthropicUsage(message.usage, this.counts);
        return this.chunk({ role: "assistant", content: "" });
      }
      case "content_block_start": {
        const block = isRecord(data.content_block) ? data.content_block : {};
        if (block.type !== "tool_use") return "";
        const toolIndex = this.toolIndexOfBlock.size;
        this.toolIndexOfBlock.set(Number(data.index), toolIndex);
        const call = {
          index: toolIndex,
          id: block.id,
          type: "function",
          function: { name: block.name, arguments: "" },
        };
        return this.chunk({ tool_calls: [call] });
      }
      case "content_block_delta": {
        const delta = isRecord(data.delta) ? data.delta : {};
        if (delta.type === "text_delta") return this.chunk({ content: delta.text });
        if (delta.type === "input_json_delta") {
          const index = this.toolIndexOfBlock.get(Number(data.index)) ?? 0;
          return this.chunk({
            tool_calls: [{ index, function: { arguments: delta.partial_json } }],
          });
        }
        return "";
      }
      case "message_delta": {
        anthropicUsage(data.usage, this.counts);
        const delta = isRecord(data.delta) ? data.delta : {};
        return this.chunk({}, finishReasonOf(delta.stop_reason));
      }
      case "message_stop": {
        this.done = true;
        const usage = this.includeUsage
          ? `data: ${JSON.stringify({ id: this.id, object: "chat.completion.chunk", created: this.created, model: this.model, choices: [], usage: toOpenaiUsage(this.counts) })}\n\n`
          : "";
        return `${usage}data: [DONE]\n\n`;
      }
      case "error": {
        this.done = true;
        const error = isRecord(data.error) ? data.error : {};
        const message = typeof error.message === "string" ? error.message : "upstream stream error";
        return `data: ${JSON.stringify({ error: { message, type: error.type ?? "api_error", code: "upstream_error", param: null } })}\n\n`;
      }
      default:
        return "";
    }
  }
}
