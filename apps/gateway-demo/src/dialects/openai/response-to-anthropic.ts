import { isRecord, type JsonObject } from "../../protocol/json.js";
import type { TranslatedResponse } from "../dialect.js";
import { anthropicReplyId } from "../reply-ids.js";
import { openaiUsage, stopReasonOf, toAnthropicUsage } from "../stop-reasons.js";

/** An OpenAI `chat.completion` as an Anthropic `message`. */
export function openaiToAnthropicResponse(completion: JsonObject): TranslatedResponse {
  const choice =
    Array.isArray(completion.choices) && isRecord(completion.choices[0])
      ? completion.choices[0]
      : {};
  const message = isRecord(choice.message) ? choice.message : {};
  const content: JsonObject[] = [];
  if (typeof message.content === "string" && message.content !== "")
    content.push({ type: "text", text: message.content });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isRecord(call) || !isRecord(call.function)) continue;
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

function parseJsonArgs(args: unknown): unknown {
  if (typeof args !== "string" || args === "") return {};
  try {
    return JSON.parse(args);
  } catch {
    return {};
  }
}
