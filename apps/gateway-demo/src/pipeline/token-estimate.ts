import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import type { ApiKind } from "./api-kind.js";

/** The tokenizer behind every estimate (and the mock upstream's usage): BPE o200k_base. */
export const TOKENIZER_VERSION = "gpt-tokenizer@4:o200k_base";

const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
/** Per-message framing tokens (role markers), as OpenAI's counting guide does. */
const PER_MESSAGE = 3;
/** Tokens that prime the reply. */
const PRIMING = 3;
/** A flat charge per image part (the low-detail tile cost); the real cost depends on size. */
const PER_IMAGE = 85;

export function countTextTokens(text: string): number {
  return text === "" ? 0 : countTokens(text, PLAIN_TEXT);
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null;

/**
 * Input-token estimate of a whole request, all roles: message text, tool
 * calls and results, the Anthropic `system` field and tool definitions,
 * counted with a real BPE tokenizer in one pass, plus message framing and a
 * flat charge per image. Never throws on a malformed body.
 */
export function estimateInputTokens(api: ApiKind, body: Rec): number {
  const acc = { text: "", extra: PRIMING };
  if (api === "anthropic") collectContent(body.system, acc);
  const messages = body.messages;
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (!isRec(message)) continue;
      acc.extra += PER_MESSAGE;
      collectContent(message.content, acc);
      if (Array.isArray(message.tool_calls)) acc.text += `\n${JSON.stringify(message.tool_calls)}`;
    }
  }
  if (Array.isArray(body.tools) && body.tools.length > 0)
    acc.text += `\n${JSON.stringify(body.tools)}`;
  return countTextTokens(acc.text) + acc.extra;
}

function collectContent(content: unknown, acc: { text: string; extra: number }): void {
  if (typeof content === "string") {
    acc.text += `\n${content}`;
    return;
  }
  if (!Array.isArray(content)) return;
  for (const part of content) {
    if (!isRec(part)) continue;
    switch (part.type) {
      case "text":
        if (typeof part.text === "string") acc.text += `\n${part.text}`;
        break;
      case "image_url":
      case "image":
        acc.extra += PER_IMAGE;
        break;
      case "tool_use":
        acc.text += `\n${typeof part.name === "string" ? part.name : ""}${JSON.stringify(part.input ?? {})}`;
        break;
      case "tool_result":
        collectContent(part.content, acc);
        break;
    }
  }
}
