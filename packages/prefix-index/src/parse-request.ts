import { type ApiFormat, isJsonObject } from "./types.js";

/** Keys and indexes from the body's root to a block's object. */
export type BlockPath = readonly (string | number)[];

/** One hashed unit of the prompt, in prompt order. */
export interface PromptBlock {
  /** `tool_definition`, `tool_call`, or the message's role (`system` for Anthropic's `system`). */
  readonly role: string;
  /** The JSON hashed for this block (its own top-level `cache_control` is left out when hashing). */
  readonly value: unknown;
  /** Where the block is in the body: `tools[2]`, `system[0]`, `messages[3].content[1]`, `messages[1].tool_calls[0]`. */
  readonly location: string;
  /** Path from the body's root to the block's object. */
  readonly path: BlockPath;
  /** Whether the block's object has a `cache_control` key (a marker location only). */
  readonly hasMarker: boolean;
  /** The raw `cache_control` value when `hasMarker`, else `undefined`. */
  readonly marker: unknown;
}

/** A request body parsed into its ordered block list. */
export interface ParsedRequest {
  readonly format: ApiFormat;
  readonly blocks: readonly PromptBlock[];
  /** Whether the body has a top-level `cache_control` key (automatic caching). */
  readonly hasTopLevelMarker: boolean;
  readonly topLevelMarker: unknown;
  /** `stream: true` in the body. */
  readonly stream: boolean;
}

/**
 * Parses an OpenAI Chat Completions or Anthropic Messages body into one
 * ordered block list: every `tools[i]` first (whatever the body's key order),
 * then Anthropic `system`, then the messages in order. String content is one
 * block hashed as `{"type":"text","text":s}`; array content is one block per
 * part; assistant `tool_calls[k]` and assistant `tool_use` parts are blocks of
 * role `tool_call` (on other roles they are ignored); `null` or empty content
 * adds no block. Lenient about structure: what is not a list or an object is
 * skipped, and the upstream rejects what is invalid.
 */
export function parseRequest(body: unknown, format: ApiFormat): ParsedRequest {
  const blocks: PromptBlock[] = [];
  if (!isJsonObject(body)) {
    return { format, blocks, hasTopLevelMarker: false, topLevelMarker: undefined, stream: false };
  }
  const tools = body.tools;
  if (Array.isArray(tools)) {
    tools.forEach((tool: unknown, i) => {
      blocks.push(markable("tool_definition", tool, `tools[${i}]`, ["tools", i]));
    });
  }
  if (format === "anthropic") addSystem(body.system, blocks);
  const messages = body.messages;
  if (Array.isArray(messages)) {
    messages.forEach((message: unknown, m) => {
      addMessage(message, m, blocks);
    });
  }
  const hasTopLevelMarker = Object.hasOwn(body, "cache_control");
  return {
    format,
    blocks,
    hasTopLevelMarker,
    topLevelMarker: hasTopLevelMarker ? body.cache_control : undefined,
    stream: body.stream === true,
  };
}

function addSystem(system: unknown, blocks: PromptBlock[]): void {
  if (typeof system === "string") {
    if (system !== "") blocks.push(textBlock("system", system, "system", ["system"]));
  } else if (Array.isArray(system)) {
    system.forEach((part: unknown, j) => {
      blocks.push(markable("system", part, `system[${j}]`, ["system", j]));
    });
  }
}

function addMessage(message: unknown, m: number, blocks: PromptBlock[]): void {
  if (!isJsonObject(message)) return;
  const role = typeof message.role === "string" ? message.role : "";
  const base = `messages[${m}]`;
  const content = message.content;
  if (typeof content === "string") {
    if (content !== "") {
      blocks.push(textBlock(role, content, `${base}.content`, ["messages", m, "content"]));
    }
  } else if (Array.isArray(content)) {
    content.forEach((part: unknown, j) => {
      const location = `${base}.content[${j}]`;
      const path = ["messages", m, "content", j];
      if (isJsonObject(part) && part.type === "tool_use") {
        if (role === "assistant") blocks.push(markable("tool_call", part, location, path));
        return;
      }
      blocks.push(markable(role, part, location, path));
    });
  } else if (content !== null && content !== undefined) {
    // Not a valid content shape: hashed as one block so it still changes the
    // prefix, but it is no marker location.
    blocks.push({
      role,
      value: content,
      location: `${base}.content`,
      path: ["messages", m, "content"],
      hasMarker: false,
      marker: undefined,
    });
  }
  const toolCalls = message.tool_calls;
  if (role === "assistant" && Array.isArray(toolCalls)) {
    toolCalls.forEach((call: unknown, k) => {
      blocks.push(
        markable("tool_call", call, `${base}.tool_calls[${k}]`, ["messages", m, "tool_calls", k]),
      );
    });
  }
}

function markable(role: string, value: unknown, location: string, path: BlockPath): PromptBlock {
  const hasMarker = isJsonObject(value) && Object.hasOwn(value, "cache_control");
  return {
    role,
    value,
    location,
    path,
    hasMarker,
    marker: hasMarker ? (value as { cache_control: unknown }).cache_control : undefined,
  };
}

function textBlock(role: string, text: string, location: string, path: BlockPath): PromptBlock {
  return {
    role,
    value: { type: "text", text },
    location,
    path,
    hasMarker: false,
    marker: undefined,
  };
}
