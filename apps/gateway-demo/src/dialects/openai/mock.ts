import type { MockReply, MockReplyWithCache, StreamFrames } from "../mock-wire.js";

const created = () => Math.floor(Date.now() / 1000);

/** The `usage` object; with the provider's cache simulated, the details the Chat Completions API adds. */
function usage(reply: MockReplyWithCache) {
  const counts = {
    prompt_tokens: reply.inputTokens,
    completion_tokens: reply.outputTokens,
    total_tokens: reply.inputTokens + reply.outputTokens,
  };
  if (reply.cache === undefined) return counts;
  return {
    ...counts,
    prompt_tokens_details: { cached_tokens: reply.cache.read, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function toolCalls(reply: MockReply) {
  const call = reply.toolCall;
  return call
    ? [{ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } }]
    : undefined;
}

/** A `chat.completion` object. */
export function openaiCompletion(reply: MockReplyWithCache, model: string, id: string): string {
  const calls = toolCalls(reply);
  return JSON.stringify({
    id,
    object: "chat.completion",
    created: created(),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: calls ? null : reply.text,
          ...(calls ? { tool_calls: calls } : {}),
          refusal: null,
        },
        logprobs: null,
        finish_reason: calls ? "tool_calls" : "stop",
      },
    ],
    usage: usage(reply),
  });
}

/** `chat.completion.chunk` frames; the usage chunk only with `stream_options.include_usage`. */
export function openaiStreamFrames(
  reply: MockReplyWithCache,
  model: string,
  id: string,
  includeUsage: boolean,
): StreamFrames {
  const base = { id, object: "chat.completion.chunk", created: created(), model };
  const frame = (choice: Record<string, unknown>) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, logprobs: null, finish_reason: null, ...choice }] })}\n\n`;
  const call = reply.toolCall;
  const content = call
    ? [
        frame({
          delta: {
            tool_calls: [
              {
                index: 0,
                id: call.id,
                type: "function",
                function: { name: call.name, arguments: "" },
              },
            ],
          },
        }),
        frame({ delta: { tool_calls: [{ index: 0, function: { arguments: call.arguments } }] } }),
      ]
    : reply.chunks.map((text) => frame({ delta: { content: text } }));
  const trailer = [frame({ delta: {}, finish_reason: call ? "tool_calls" : "stop" })];
  if (includeUsage)
    trailer.push(`data: ${JSON.stringify({ ...base, choices: [], usage: usage(reply) })}\n\n`);
  trailer.push("data: [DONE]\n\n");
  return { prelude: [frame({ delta: { role: "assistant", content: "" } })], content, trailer };
}

export function openaiError(status: number, message: string): string {
  const type =
    status === 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
  const code = status === 404 ? "model_not_found" : status === 429 ? "rate_limit_exceeded" : null;
  return JSON.stringify({ error: { message, type, code, param: null } });
}
