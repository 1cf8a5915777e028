import { countInPieces, SlicedCounter } from "@switchyard/prefix-index";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import type { ApiKind } from "../protocol/api-kind.js";
import { isRecord, type JsonObject } from "../protocol/json.js";

// The tokenizer behind every estimate (and the mock upstream's usage): gpt-tokenizer's o200k_base.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };
/** Per-message framing tokens (role markers), as OpenAI's counting guide does. */
const PER_MESSAGE = 3;
/** Tokens that prime the reply. */
const PRIMING = 3;
/** A flat charge per image part (the low-detail tile cost); the real cost depends on size. */
const PER_IMAGE = 85;

/** One piece of text (at most `MAX_TOKEN_PIECE` units long), special-token strings as plain text. */
function countPiece(piece: string): number {
  return countTokens(piece, PLAIN_TEXT);
}

/**
 * Tokens of `text`, counted synchronously in pieces of bounded length
 * (`countInPieces`: linear in the text, the same count as one pass for
 * ordinary text). For short texts only: a long one holds the event loop.
 */
export function countTextTokens(text: string): number {
  return countInPieces(countPiece, text);
}

/** A request's input as the estimate reads it: its text, each piece after a "\n", and the fixed extras. */
export interface CollectedInput {
  readonly text: string;
  /** Framing, priming and image tokens. */
  readonly extra: number;
}

/**
 * The text and extras of a whole request, all roles: message text, tool
 * calls and results, the Anthropic `system` field and tool definitions, plus
 * message framing and a flat charge per image. Never throws on a malformed body.
 */
export function collectInput(api: ApiKind, body: JsonObject): CollectedInput {
  const acc = { text: "", extra: PRIMING };
  if (api === "anthropic") collectContent(body.system, acc);
  const messages = body.messages;
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (!isRecord(message)) continue;
      acc.extra += PER_MESSAGE;
      collectContent(message.content, acc);
      if (Array.isArray(message.tool_calls)) acc.text += `\n${JSON.stringify(message.tool_calls)}`;
    }
  }
  if (Array.isArray(body.tools) && body.tools.length > 0)
    acc.text += `\n${JSON.stringify(body.tools)}`;
  return acc;
}

/** The estimate: the text counted with the BPE tokenizer (in pieces), plus the extras. */
export function countCollected(input: CollectedInput): number {
  return countTextTokens(input.text) + input.extra;
}

/**
 * {@link countCollected} without holding the event loop: a text longer than
 * one piece is counted from a later turn (so the turn that parsed the body
 * ends first), in slices of a few milliseconds (`SlicedCounter`).
 */
export async function countCollectedSliced(input: CollectedInput): Promise<number> {
  return (await new SlicedCounter(countPiece).tokens(input.text)) + input.extra;
}

/**
 * A number {@link countCollected} never exceeds, without tokenizing: every
 * o200k token (byte-level BPE, special-token strings included) stands for at
 * least one UTF-8 byte of the text.
 */
export function collectedAtMost(input: CollectedInput): number {
  return Buffer.byteLength(input.text, "utf8") + input.extra;
}

/** Input-token estimate of a whole request, all roles (see {@link collectInput}); synchronous. */
export function estimateInputTokens(api: ApiKind, body: JsonObject): number {
  return countCollected(collectInput(api, body));
}

/** {@link estimateInputTokens} without holding the event loop, whatever the prompt's length. */
export function estimateInputTokensSliced(api: ApiKind, body: JsonObject): Promise<number> {
  return countCollectedSliced(collectInput(api, body));
}

function collectContent(content: unknown, acc: { text: string; extra: number }): void {
  if (typeof content === "string") {
    acc.text += `\n${content}`;
    return;
  }
  if (!Array.isArray(content)) return;
  for (const part of content) {
    if (!isRecord(part)) continue;
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
