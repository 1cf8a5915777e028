import { anthropicReplyId, openaiReplyId } from "./reply-ids.js";
import {
  anthropicUsage,
  finishReasonOf,
  openaiUsage,
  stopReasonOf,
  toAnthropicUsage,
  toOpenaiUsage,
  type Usage,
} from "./stop-reasons.js";
import { isRec, type Rec } from "./untranslatable.js";

export interface TranslatedResponse {
  /** The response in the client's dialect (serialized by the caller, after usage accounting). */
  readonly value: Rec;
  readonly usage: Usage;
}

/** An Anthropic `message` as an OpenAI `chat.completion`. */
export function anthropicToOpenaiResponse(message: Rec): TranslatedResponse {
  let text = "";
  const calls: Rec[] = [];
  for (const block of Array.isArray(message.content) ? message.content : []) {
    if (!isRec(block)) continue;
    if (block.type === "text" && typeof block.text === "string") text += block.text;
    else if (block.type === "tool_use") {
      calls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const usage = anthropicUsage(message.usage);
  const completion = {
    id: openaiReplyId(message.id),
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: message.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: text === "" && calls.length > 0 ? null : text,
          refusal: null,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        logprobs: null,
        finish_reason: finishReasonOf(message.stop_reason),
      },
    ],
    usage: toOpenaiUsage(usage),
  };
  return { value: completion, usage };
}

/** An OpenAI `chat.completion` as an Anthropic `message`. */
export function openaiToAnthropicResponse(completion: Rec): TranslatedResponse {
  const choice =
    Array.isArray(completion.choices) && isRec(completion.choices[0]) ? completion.choices[0] : {};
  const message = isRec(choice.message) ? choice.message : {};
  const content: Rec[] = [];
  if (typeof message.content === "string" && message.content !== "")
    content.push({ type: "text", text: message.content });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isRec(call) || !isRec(call.function)) continue;
    content.push({
      type: "tool_use",
      id: call.id,
      name: call.function.name,
      input: parseJsonArgs(call.function.arguments),
    });
  }
  const usage = openaiUsage(completion.usage);
  const out = {
    id: anthropicReplyId(completion.id),
    type: "message",
    role: "assistant",
    model: completion.model,
    content,
    stop_reason: stopReasonOf(choice.finish_reason),
    stop_sequence: null,
    usage: toAnthropicUsage(usage),
  };
  return { value: out, usage };
}

export function parseJsonArgs(args: unknown): unknown {
  if (typeof args !== "string" || args === "") return {};
  try {
    return JSON.parse(args);
  } catch {
    return {};
  }
}
