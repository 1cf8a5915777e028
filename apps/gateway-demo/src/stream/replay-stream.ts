import type { ApiKind } from "../protocol/api-kind.js";
import { isRecord, type JsonObject } from "../protocol/json.js";

/**
 * A stored (non-streamed, text-only) answer replayed as the stream the
 * client asked for, in its own API: OpenAI `chat.completion.chunk` frames
 * (role, content, finish, the usage chunk with `include_usage`, `[DONE]`),
 * or Anthropic's `message_start`, `content_block_*`, `message_delta`,
 * `message_stop`. One string: everything is known, there is nothing to wait for.
 */
export function replayAsStream(api: ApiKind, answer: JsonObject, includeUsage: boolean): string {
  return api === "openai" ? openaiFrames(answer, includeUsage) : anthropicEvents(answer);
}

function openaiFrames(completion: JsonObject, includeUsage: boolean): string {
  const choice =
    Array.isArray(completion.choices) && isRecord(completion.choices[0])
      ? completion.choices[0]
      : {};
  const message = isRecord(choice.message) ? choice.message : {};
  const base: JsonObject = {
    id: completion.id,
    object: "chat.completion.chunk",
    created: completion.created,
    model: completion.model,
  };
  if (completion.system_fingerprint !== undefined)
    base.system_fingerprint = completion.system_fingerprint;
  const frame = (choiceFields: JsonObject) =>
    `data: ${JSON.stringify({ ...base, choices: [{ index: 0, logprobs: null, finish_reason: null, ...choiceFields }] })}\n\n`;
  let out = frame({ delta: { role: "assistant", content: "" } });
  if (typeof message.content === "string" && message.content !== "") {
    out += frame({ delta: { content: message.content } });
  }
  out += frame({ delta: {}, finish_reason: choice.finish_reason ?? "stop" });
  if (includeUsage && isRecord(completion.usage)) {
    out += `data: ${JSON.stringify({ ...base, choices: [], usage: completion.usage })}\n\n`;
  }
  return `${out}data: [DONE]\n\n`;
}

const event = (type: string, data: JsonObject) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function anthropicEvents(message: JsonObject): string {
  const usage = isRecord(message.usage) ? message.usage : {};
  let out = event("message_start", {
    message: {
      id: message.id,
      type: "message",
      role: "assistant",
      model: message.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
  });
  const blocks = Array.isArray(message.content) ? message.content : [];
  blocks.forEach((block, index) => {
    const text = isRecord(block) && typeof block.text === "string" ? block.text : "";
    out += event("content_block_start", { index, content_block: { type: "text", text: "" } });
    if (text !== "") {
      out += event("content_block_delta", { index, delta: { type: "text_delta", text } });
    }
    out += event("content_block_stop", { index });
  });
  out += event("message_delta", {
    delta: {
      stop_reason: message.stop_reason ?? "end_turn",
      stop_sequence: message.stop_sequence ?? null,
    },
    usage,
  });
  return out + event("message_stop", {});
}
