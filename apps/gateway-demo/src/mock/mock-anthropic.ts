import type { MockReply } from "./mock-reply.js";
import type { StreamFrames } from "./mock-stream.js";

const event = (type: string, data: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function content(reply: MockReply) {
  const call = reply.toolCall;
  return call
    ? [
        {
          type: "tool_use",
          id: call.id.replace("call_", "toolu_"),
          name: call.name,
          input: JSON.parse(call.arguments),
        },
      ]
    : [{ type: "text", text: reply.text }];
}

/** A `message` object. */
export function anthropicMessage(reply: MockReply, model: string, id: string): string {
  return JSON.stringify({
    id,
    type: "message",
    role: "assistant",
    model,
    content: content(reply),
    stop_reason: reply.toolCall ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { input_tokens: reply.inputTokens, output_tokens: reply.outputTokens },
  });
}

/** `message_start`, `content_block_*`, `message_delta`, `message_stop` events. */
export function anthropicStreamFrames(reply: MockReply, model: string, id: string): StreamFrames {
  const call = reply.toolCall;
  const message = {
    id,
    type: "message",
    role: "assistant",
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: reply.inputTokens, output_tokens: 1 },
  };
  const block = call
    ? { type: "tool_use", id: call.id.replace("call_", "toolu_"), name: call.name, input: {} }
    : { type: "text", text: "" };
  const deltas = call
    ? [
        event("content_block_delta", {
          index: 0,
          delta: { type: "input_json_delta", partial_json: call.arguments },
        }),
      ]
    : reply.chunks.map((text) =>
        event("content_block_delta", { index: 0, delta: { type: "text_delta", text } }),
      );
  return {
    prelude: [
      event("message_start", { message }),
      event("content_block_start", { index: 0, content_block: block }),
      event("ping", {}),
    ],
    content: deltas,
    trailer: [
      event("content_block_stop", { index: 0 }),
      event("message_delta", {
        delta: { stop_reason: call ? "tool_use" : "end_turn", stop_sequence: null },
        usage: { output_tokens: reply.outputTokens },
      }),
      event("message_stop", {}),
    ],
  };
}

export function anthropicError(status: number, message: string): string {
  const type =
    status === 429
      ? "rate_limit_error"
      : status === 529
        ? "overloaded_error"
        : status === 404
          ? "not_found_error"
          : status >= 500
            ? "api_error"
            : "invalid_request_error";
  return JSON.stringify({ type: "error", error: { type, message } });
}
