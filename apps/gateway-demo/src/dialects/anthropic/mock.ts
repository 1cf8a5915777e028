import type { MockReply, MockReplyWithCache, StreamFrames } from "../mock-wire.js";

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

/**
 * The `usage` of a message (`message_start` streams `output_tokens: 1`). With
 * the provider's cache simulated, as the Messages API reports it:
 * `input_tokens` is the rest after the cache reads and writes.
 */
function usage(reply: MockReplyWithCache, outputTokens: number): Record<string, unknown> {
  const cache = reply.cache;
  if (cache === undefined) return { input_tokens: reply.inputTokens, output_tokens: outputTokens };
  const written = cache.write5m + cache.write1h;
  return {
    input_tokens: reply.inputTokens - cache.read - written,
    cache_creation_input_tokens: written,
    cache_read_input_tokens: cache.read,
    cache_creation: {
      ephemeral_5m_input_tokens: cache.write5m,
      ephemeral_1h_input_tokens: cache.write1h,
    },
    output_tokens: outputTokens,
    service_tier: "standard",
  };
}

/** A `message` object. */
export function anthropicMessage(reply: MockReplyWithCache, model: string, id: string): string {
  return JSON.stringify({
    id,
    type: "message",
    role: "assistant",
    model,
    content: content(reply),
    stop_reason: reply.toolCall ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: usage(reply, reply.outputTokens),
  });
}

/** `message_start`, `content_block_*`, `message_delta`, `message_stop` events. */
export function anthropicStreamFrames(
  reply: MockReplyWithCache,
  model: string,
  id: string,
): StreamFrames {
  const call = reply.toolCall;
  const message = {
    id,
    type: "message",
    role: "assistant",
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: usage(reply, 1),
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
