import { isRecord, type JsonObject } from "../../protocol/json.js";
import type { TranslatedResponse } from "../dialect.js";
import { openaiReplyId } from "../reply-ids.js";
import { anthropicUsage, finishReasonOf, toOpenaiUsage } from "../stop-reasons.js";

/** An Anthropic `message` as an OpenAI `chat.completion`. */
export function anthropicToOpenaiResponse(message: JsonObject): TranslatedResponse {
  let text = "";
  const calls: JsonObject[] = [];
  for (const block of Array.isArray(message.content) ? message.content : []) {
    if (!isRecord(block)) continue;
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
