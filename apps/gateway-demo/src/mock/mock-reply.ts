import type { MockReply } from "../dialects/mock-wire.js";
import { countTextTokens, estimateInputTokensSliced } from "../pipeline/token-estimate.js";
import type { ApiKind } from "../protocol/api-kind.js";
import { isRecord, type JsonObject } from "../protocol/json.js";

/**
 * The mock's deterministic answer: it names the model and echoes the start
 * of the last user message; usage is counted with the gateway's tokenizer
 * (the prompt off the event loop: the mock runs inside the demo's process).
 */
export async function mockReply(
  api: ApiKind,
  body: JsonObject,
  model: string,
  withTool: boolean,
  seq: number,
): Promise<MockReply> {
  const said = lastUserText(body.messages).slice(0, 60);
  const text =
    said === "" ? `Mock reply from ${model}.` : `Mock reply from ${model}. You said: ${said}`;
  const chunks = text.match(/\S+\s*/g) ?? [text];
  const tool = withTool ? firstToolName(api, body.tools) : undefined;
  const toolCall =
    tool === undefined
      ? undefined
      : { id: `call_mock_${seq}`, name: tool, arguments: '{"query":"mock"}' };
  const outputTokens = countTextTokens(text) + (toolCall ? countTextTokens(toolCall.arguments) : 0);
  const inputTokens = await estimateInputTokensSliced(api, body);
  return { text, chunks, toolCall, inputTokens, outputTokens };
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return "";
  for (let i = messages.length - 1; i >= 0; i--) {
    const message: unknown = messages[i];
    if (!isRecord(message) || message.role !== "user") continue;
    if (typeof message.content === "string") return message.content;
    if (Array.isArray(message.content)) {
      return message.content
        .map((part: unknown) => (isRecord(part) && typeof part.text === "string" ? part.text : ""))
        .join("");
    }
  }
  return "";
}

function firstToolName(api: ApiKind, tools: unknown): string | undefined {
  if (!Array.isArray(tools)) return undefined;
  const first: unknown = tools[0];
  if (!isRecord(first)) return undefined;
  if (api === "anthropic") return typeof first.name === "string" ? first.name : undefined;
  const fn = first.function;
  return isRecord(fn) && typeof fn.name === "string" ? fn.name : undefined;
}
