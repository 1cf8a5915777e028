import type { JsonObject } from "../../protocol/json.js";
import { isRecord } from "../../protocol/json.js";
import { untranslatable } from "../untranslatable.js";

/** Anthropic requires `max_tokens`; used when an OpenAI request sets no limit. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

const reject = (param: string, what: string) => untranslatable("openai", "anthropic", param, what);
type Block = JsonObject;
type Turn = { role: "user" | "assistant"; content: Block[] };

/**
 * An OpenAI chat-completions body as an Anthropic Messages body (without
 * `model`, set per candidate). System and developer messages become
 * `system`; tool calls and tool results become `tool_use`/`tool_result`
 * blocks. Features without an equivalent are a 400 naming the field.
 */
export function openaiToAnthropicRequest(body: JsonObject): JsonObject {
  rejectUnsupported(body);
  const system: string[] = [];
  const turns: Turn[] = [];
  const push = (role: Turn["role"], content: Block[]) => {
    if (content.length === 0) return;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content.push(...content);
    else turns.push({ role, content });
  };
  (body.messages as JsonObject[]).forEach((message, i) => {
    const path = `messages[${i}]`;
    switch (message.role) {
      case "system":
      case "developer":
        system.push(textOnly(message.content, `${path}.content`));
        break;
      case "user":
        push("user", userBlocks(message.content, `${path}.content`));
        break;
      case "assistant":
        push("assistant", assistantBlocks(message, path));
        break;
      case "tool":
        push("user", [
          {
            type: "tool_result",
            tool_use_id: String(message.tool_call_id ?? ""),
            content: textOnly(message.content, `${path}.content`),
          },
        ]);
        break;
      default:
        throw reject(`${path}.role`, `The role "${String(message.role)}"`);
    }
  });
  const out: JsonObject = {
    messages: turns,
    max_tokens: body.max_completion_tokens ?? body.max_tokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS,
  };
  if (system.length > 0) out.system = system.join("\n\n");
  if (body.temperature !== undefined && body.temperature !== null)
    out.temperature = body.temperature;
  if (body.top_p !== undefined && body.top_p !== null) out.top_p = body.top_p;
  if (body.stop !== undefined && body.stop !== null)
    out.stop_sequences = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (body.stream === true) out.stream = true;
  if (typeof body.user === "string") out.metadata = { user_id: body.user };
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    out.tools = body.tools.map(toolDefinition);
    const choice = toolChoice(body.tool_choice, body.parallel_tool_calls === false);
    if (choice !== undefined) out.tool_choice = choice;
  }
  return out;
}

function rejectUnsupported(body: JsonObject): void {
  if (typeof body.n === "number" && body.n > 1) throw reject("n", "More than one choice (n > 1)");
  if (body.logprobs === true) throw reject("logprobs", "Log probabilities");
  if (body.top_logprobs !== undefined && body.top_logprobs !== null)
    throw reject("top_logprobs", "Log probabilities");
  if (isRecord(body.response_format) && body.response_format.type !== "text") {
    throw reject(
      "response_format",
      `response_format "${String(body.response_format.type)}" (JSON mode)`,
    );
  }
  if (body.audio !== undefined && body.audio !== null) throw reject("audio", "Audio output");
  if (Array.isArray(body.modalities) && body.modalities.includes("audio"))
    throw reject("modalities", "Audio output");
  if (isRecord(body.logit_bias) && Object.keys(body.logit_bias).length > 0)
    throw reject("logit_bias", "logit_bias");
  for (const key of ["presence_penalty", "frequency_penalty"]) {
    if (typeof body[key] === "number" && body[key] !== 0) throw reject(key, key);
  }
  if (body.functions !== undefined || body.function_call !== undefined) {
    throw reject(
      body.functions !== undefined ? "functions" : "function_call",
      "Legacy function calling (use tools)",
    );
  }
  if (typeof body.temperature === "number" && body.temperature > 1) {
    throw reject("temperature", "A temperature above 1 (Anthropic's range is 0..1)");
  }
}

function textOnly(content: unknown, path: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  let text = "";
  (content as unknown[]).forEach((part, j) => {
    if (isRecord(part) && part.type === "text" && typeof part.text === "string") text += part.text;
    else
      throw reject(
        `${path}[${j}]`,
        `A "${isRecord(part) ? String(part.type) : typeof part}" part here`,
      );
  });
  return text;
}

function userBlocks(content: unknown, path: string): Block[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return (content as unknown[]).map((part, j): Block => {
    const where = `${path}[${j}]`;
    if (!isRecord(part)) throw reject(where, "A non-object content part");
    if (part.type === "text" && typeof part.text === "string")
      return { type: "text", text: part.text };
    if (part.type === "image_url") return imageBlock(part.image_url, where);
    throw reject(where, `A "${String(part.type)}" content part`);
  });
}

function imageBlock(imageUrl: unknown, path: string): Block {
  const url = isRecord(imageUrl) ? imageUrl.url : imageUrl;
  if (typeof url !== "string") throw reject(`${path}.image_url`, "An image without a url");
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data)
    return { type: "image", source: { type: "base64", media_type: data[1], data: data[2] } };
  if (/^https?:\/\//.test(url)) return { type: "image", source: { type: "url", url } };
  throw reject(`${path}.image_url`, "An image URL that is neither http(s) nor a base64 data URL");
}

function assistantBlocks(message: JsonObject, path: string): Block[] {
  const blocks: Block[] = [];
  const text = textOnly(message.content, `${path}.content`);
  if (text !== "") blocks.push({ type: "text", text });
  const calls = message.tool_calls;
  if (Array.isArray(calls)) {
    calls.forEach((call: unknown, k) => {
      const where = `${path}.tool_calls[${k}]`;
      const fn = isRecord(call) ? call.function : undefined;
      if (!isRecord(call) || !isRecord(fn) || typeof fn.name !== "string")
        throw reject(where, "A tool call without a function name");
      blocks.push({
        type: "tool_use",
        id: String(call.id ?? `call_${k}`),
        name: fn.name,
        input: parseArguments(fn.arguments, where),
      });
    });
  }
  return blocks;
}

function parseArguments(args: unknown, path: string): unknown {
  if (args === undefined || args === "") return {};
  if (typeof args !== "string")
    throw reject(`${path}.function.arguments`, "Tool call arguments that are not a JSON string");
  try {
    return JSON.parse(args);
  } catch {
    throw reject(`${path}.function.arguments`, "Tool call arguments that are not valid JSON");
  }
}

function toolDefinition(tool: unknown, i: number): Block {
  const fn = isRecord(tool) ? tool.function : undefined;
  if (!isRecord(tool) || tool.type !== "function" || !isRecord(fn) || typeof fn.name !== "string") {
    throw reject(`tools[${i}]`, "A tool that is not a named function");
  }
  return {
    name: fn.name,
    ...(typeof fn.description === "string" ? { description: fn.description } : {}),
    input_schema: isRecord(fn.parameters) ? fn.parameters : { type: "object", properties: {} },
  };
}

function toolChoice(choice: unknown, noParallel: boolean): JsonObject | undefined {
  const extra = noParallel ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === null)
    return noParallel ? { type: "auto", ...extra } : undefined;
  if (choice === "auto") return { type: "auto", ...extra };
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any", ...extra };
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === "string") {
    return { type: "tool", name: choice.function.name, ...extra };
  }
  throw reject("tool_choice", "This tool_choice");
}
