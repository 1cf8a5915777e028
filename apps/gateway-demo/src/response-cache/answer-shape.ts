import type { ApiKind } from "../protocol/api-kind.js";
import { isRecord, type JsonObject } from "../protocol/json.js";

const OPENAI_FINISHED = new Set(["stop", "length"]);
const ANTHROPIC_FINISHED = new Set(["end_turn", "max_tokens", "stop_sequence"]);

/**
 * Whether an answer may be stored: one finished text answer. Tool calls
 * (they act on the caller's world), refusals, audio, anything but plain
 * text blocks, or an answer cut by a content filter are never stored.
 */
export function isStorableAnswer(api: ApiKind, value: JsonObject): boolean {
  if (api === "openai") {
    const choices = value.choices;
    if (!Array.isArray(choices) || choices.length !== 1) return false;
    const choice: unknown = choices[0];
    if (!isRecord(choice) || !isRecord(choice.message)) return false;
    if (typeof choice.finish_reason !== "string" || !OPENAI_FINISHED.has(choice.finish_reason))
      return false;
    const m = choice.message;
    if (Array.isArray(m.tool_calls) && m.tool_calls.length > 0) return false;
    if (m.function_call !== undefined && m.function_call !== null) return false;
    if (m.audio !== undefined && m.audio !== null) return false;
    if (m.refusal !== undefined && m.refusal !== null) return false;
    return typeof m.content === "string";
  }
  if (value.type !== "message" || !Array.isArray(value.content)) return false;
  if (typeof value.stop_reason !== "string" || !ANTHROPIC_FINISHED.has(value.stop_reason))
    return false;
  return value.content.every(
    (block) => isRecord(block) && block.type === "text" && typeof block.text === "string",
  );
}
