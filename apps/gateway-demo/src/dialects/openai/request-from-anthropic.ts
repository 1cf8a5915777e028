import type { JsonObject } from "../../protocol/json.js";
import { isRecord } from "../../protocol/json.js";
import { untranslatable } from "../untranslatable.js";

const reject = (param: string, what: string) => untranslatable("anthropic", "openai", param, what);

/**
 * An Anthropic Messages body as an OpenAI chat-completions body (without
 * `model`). `system` becomes a leading system message, `tool_use` blocks
 * become `tool_calls`, `tool_result` blocks become `tool` messages;
 * `cache_control` markers are dropped. Streams ask for the usage chunk so
 * the translated stream can report usage.
 */
export function anthropicToOpenaiRequest(body: JsonObject): JsonObject {
  rejectUnsupported(body);
  const messages: JsonObject[] = [];
  if (body.system !== undefined && body.system !== null) {
    messages.push({ role: "system", content: textOnly(body.system, "system") });
  }
  (body.messages as JsonObject[]).forEach((message, i) => {
    const path = `messages[${i}].content`;
    if (message.role === "assistant") messages.push(assistantMessage(message.content, path));
    else messages.push(...userMessages(message.content, path));
  });
  const out: JsonObject = { messages, max_tokens: body.max_tokens };
  if (body.temperature !== undefined && body.temperature !== null)
    out.temperature = body.temperature;
  if (body.top_p !== undefined && body.top_p !== null) out.top_p = body.top_p;
  if (Array.isArray(body.stop_sequences) && body.stop_sequences.length > 0)
    out.stop = body.stop_sequences;
  if (body.stream === true) {
    out.stream = true;
    out.stream_options = { include_usage: true };
  }
  if (isRecord(body.metadata) && typeof body.metadata.user_id === "string")
    out.user = body.metadata.user_id;
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    out.tools = body.tools.map(toolDefinition);
    Object.assign(out, toolChoice(body.tool_choice));
  }
  return out;
}

function rejectUnsupported(body: JsonObject): void {
  if (isRecord(body.thinking) && body.thinking.type !== "disabled")
    throw reject("thinking", "Extended thinking");
  if (body.top_k !== undefined && body.top_k !== null) throw reject("top_k", "top_k sampling");
  for (const key of ["mcp_servers", "container"]) {
    if (body[key] !== undefined && body[key] !== null) throw reject(key, key);
  }
}

function textOnly(content: unknown, path: string): string {
  if (typeof content === "string") return content;
  let text = "";
  (content as unknown[]).forEach((block, j) => {
    if (isRecord(block) && block.type === "text" && typeof block.text === "string")
      text += text === "" ? block.text : `\n${block.text}`;
    else
      throw reject(
        `${path}[${j}]`,
        `A "${isRecord(block) ? String(block.type) : typeof block}" block here`,
      );
  });
  return text;
}

function userMessages(content: unknown, path: string): JsonObject[] {
  if (typeof content === "string") return [{ role: "user", content }];
  const tools: JsonObject[] = [];
  const parts: JsonObject[] = [];
  (content as unknown[]).forEach((block, j) => {
    const where = `${path}[${j}]`;
    if (!isRecord(block)) throw reject(where, "A non-object block");
    if (block.type === "text" && typeof block.text === "string")
      parts.push({ type: "text", text: block.text });
    else if (block.type === "image") parts.push(imagePart(block.source, where));
    else if (block.type === "tool_result") {
      if (block.is_error === true)
        throw reject(`${where}.is_error`, "A tool result flagged is_error");
      const result = block.content === undefined ? "" : textOnly(block.content, `${where}.content`);
      tools.push({ role: "tool", tool_call_id: String(block.tool_use_id ?? ""), content: result });
    } else throw reject(where, `A "${String(block.type)}" block`);
  });
  // Tool results answer the previous assistant turn, so they come first.
  return parts.length > 0 ? [...tools, { role: "user", content: parts }] : tools;
}

function imagePart(source: unknown, path: string): JsonObject {
  if (isRecord(source) && source.type === "base64" && typeof source.data === "string") {
    return {
      type: "image_url",
      image_url: { url: `data:${String(source.media_type)};base64,${source.data}` },
    };
  }
  if (isRecord(source) && source.type === "url" && typeof source.url === "string") {
    return { type: "image_url", image_url: { url: source.url } };
  }
  throw reject(`${path}.source`, "An image source other than base64 or url");
}

function assistantMessage(content: unknown, path: string): JsonObject {
  if (typeof content === "string") return { role: "assistant", content };
  let text = "";
  const calls: JsonObject[] = [];
  (content as unknown[]).forEach((block, j) => {
    const where = `${path}[${j}]`;
    if (isRecord(block) && block.type === "text" && typeof block.text === "string")
      text += block.text;
    else if (isRecord(block) && block.type === "tool_use" && typeof block.name === "string") {
      calls.push({
        id: String(block.id ?? `toolu_${j}`),
        type: "function",
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    } else
      throw reject(
        where,
        `A "${isRecord(block) ? String(block.type) : typeof block}" block in an assistant turn`,
      );
  });
  return {
    role: "assistant",
    content: text === "" && calls.length > 0 ? null : text,
    ...(calls.length > 0 ? { tool_calls: calls } : {}),
  };
}

function toolDefinition(tool: unknown, i: number): JsonObject {
  if (
    !isRecord(tool) ||
    typeof tool.name !== "string" ||
    (tool.type !== undefined && tool.type !== "custom")
  ) {
    throw reject(`tools[${i}]`, "A server tool or a tool without a name");
  }
  return {
    type: "function",
    function: {
      name: tool.name,
      ...(typeof tool.description === "string" ? { description: tool.description } : {}),
      parameters: isRecord(tool.input_schema)
        ? tool.input_schema
        : { type: "object", properties: {} },
    },
  };
}

function toolChoice(choice: unknown): JsonObject {
  if (choice === undefined || choice === null) return {};
  if (!isRecord(choice)) throw reject("tool_choice", "This tool_choice");
  const parallel = choice.disable_parallel_tool_use === true ? { parallel_tool_calls: false } : {};
  switch (choice.type) {
    case "auto":
      return { tool_choice: "auto", ...parallel };
    case "any":
      return { tool_choice: "required", ...parallel };
    case "none":
      return { tool_choice: "none" };
    case "tool":
      return {
        tool_choice: { type: "function", function: { name: String(choice.name) } },
        ...parallel,
      };
    default:
      throw reject("tool_choice", `tool_choice type "${String(choice.type)}"`);
  }
}
