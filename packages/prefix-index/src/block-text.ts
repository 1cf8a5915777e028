import { canonicalJson } from "./canonical-json.js";
import type { PromptBlock } from "./parse-request.js";
import { isJsonObject, type JsonObject } from "./types.js";

/** Media parts: hashed (their URL or data) but they add no tokens to the cached span. */
const MEDIA_TYPES = new Set(["image", "image_url", "input_image", "input_audio", "file"]);

/**
 * The text the tokenizer counts for one block: a text part's text, a tool
 * call's name and arguments, a tool result's text, a tool definition's JSON;
 * nothing for images, audio, files and non-text documents; the key-sorted JSON
 * (without `cache_control`) for any other part.
 */
export function blockTokenText(block: Pick<PromptBlock, "role" | "value">): string {
  if (block.role === "tool_definition") return canonicalJson(block.value, "cache_control");
  return partText(block.value);
}

function partText(part: unknown): string {
  if (typeof part === "string") return part;
  if (!isJsonObject(part)) return canonicalJson(part);
  const type = part.type;
  if (typeof type === "string" && MEDIA_TYPES.has(type)) return "";
  switch (type) {
    case "text":
      return stringOf(part.text);
    case "thinking":
      return stringOf(part.thinking);
    case "redacted_thinking":
      return "";
    case "document":
      return documentText(part);
    case "tool_use":
      return `${stringOf(part.name)} ${canonicalJson(part.input ?? {})}`;
    case "tool_result":
      return toolResultText(part.content);
    case "function":
      if (isJsonObject(part.function)) {
        const fn = part.function;
        return `${stringOf(fn.name)} ${typeof fn.arguments === "string" ? fn.arguments : canonicalJson(fn.arguments ?? {})}`;
      }
      break;
  }
  return canonicalJson(part, "cache_control");
}

function documentText(part: JsonObject): string {
  const source = part.source;
  if (isJsonObject(source) && source.type === "text") return stringOf(source.data);
  return "";
}

function toolResultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map(partText).join("\n");
  return content === undefined || content === null ? "" : canonicalJson(content);
}

function stringOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}
