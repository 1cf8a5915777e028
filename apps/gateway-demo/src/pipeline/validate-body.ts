import { GatewayError } from "../errors/gateway-error.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";

const OPENAI_ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);
const ANTHROPIC_ROLES = new Set(["user", "assistant"]);
/** The most choices (`n`) an OpenAI request may ask for, as OpenAI documents. */
const MAX_CHOICES = 128;

const bad = (param: string, message: string, code = "invalid_type") =>
  new GatewayError(
    400,
    "invalid_request_error",
    code,
    `Invalid value for \`${param}\`: ${message}`,
    { param },
  );

const missing = (param: string, what: string) =>
  new GatewayError(
    400,
    "invalid_request_error",
    "missing_required_parameter",
    `Missing required parameter \`${param}\`: ${what}`,
    {
      param,
    },
  );

/**
 * The shape checks the gateway needs before routing: the fields it reads
 * (model, messages, stream, token limits, tools) must have the right types,
 * so a malformed request is a 400 naming the field and is never dispatched.
 * Everything else is left for the upstream to judge.
 */
export function validateBody(api: ApiKind, body: JsonObject): void {
  const model = body.model;
  if (model === undefined || model === null)
    throw missing("model", 'the model to use, e.g. "gpt-4o-mini".');
  if (typeof model !== "string" || model.trim() === "")
    throw bad("model", "expected a non-empty string.");
  checkMessages(api, body.messages);
  optionalType(body, "stream", "boolean");
  optionalType(body, "temperature", "number");
  optionalType(body, "top_p", "number");
  optionalArray(body, "tools");
  if (api === "openai") {
    optionalPositiveInt(body, "max_tokens");
    optionalPositiveInt(body, "max_completion_tokens");
    // OpenAI's own range; the cost estimate multiplies the output bound by it.
    optionalPositiveInt(body, "n", MAX_CHOICES);
    optionalObject(body, "stream_options");
    optionalObject(body, "response_format");
    const stop = body.stop;
    if (stop !== undefined && stop !== null && typeof stop !== "string" && !Array.isArray(stop)) {
      throw bad("stop", "expected a string or an array of strings.");
    }
  } else {
    if (body.max_tokens === undefined) throw missing("max_tokens", "the most tokens to generate.");
    optionalPositiveInt(body, "max_tokens");
    const system = body.system;
    if (system !== undefined && typeof system !== "string" && !Array.isArray(system)) {
      throw bad("system", "expected a string or an array of text blocks.");
    }
    optionalArray(body, "stop_sequences");
  }
}

function checkMessages(api: ApiKind, messages: unknown): void {
  if (messages === undefined || messages === null)
    throw missing("messages", "a non-empty array of messages.");
  if (!Array.isArray(messages)) throw bad("messages", "expected an array.");
  if (messages.length === 0)
    throw bad("messages", "must contain at least one message.", "invalid_value");
  const roles = api === "openai" ? OPENAI_ROLES : ANTHROPIC_ROLES;
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    const path = `messages[${i}]`;
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      throw bad(path, "expected an object with `role` and `content`.");
    }
    const { role, content } = message as JsonObject;
    if (typeof role !== "string" || !roles.has(role)) {
      throw bad(`${path}.role`, `expected one of ${[...roles].join(", ")}.`, "invalid_value");
    }
    const nullable = api === "openai" && (role === "assistant" || role === "function");
    if (typeof content === "string" || Array.isArray(content)) continue;
    if (nullable && (content === null || content === undefined)) continue;
    throw bad(`${path}.content`, "expected a string or an array of content parts.");
  }
}

function optionalType(body: JsonObject, key: string, type: "boolean" | "number"): void {
  const value = body[key];
  if (value === undefined || value === null) return;
  if (typeof value !== type || (type === "number" && !Number.isFinite(value))) {
    throw bad(key, `expected a ${type}.`);
  }
}

function optionalPositiveInt(body: JsonObject, key: string, max?: number): void {
  const value = body[key];
  if (value === undefined || value === null) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw bad(
      key,
      max === undefined ? "expected an integer >= 1." : `expected an integer from 1 to ${max}.`,
    );
  }
  if (max !== undefined && value > max) {
    throw bad(key, `expected an integer from 1 to ${max}, got ${value}.`, "invalid_value");
  }
}

function optionalArray(body: JsonObject, key: string): void {
  const value = body[key];
  if (value !== undefined && value !== null && !Array.isArray(value))
    throw bad(key, "expected an array.");
}

function optionalObject(body: JsonObject, key: string): void {
  const value = body[key];
  if (value === undefined || value === null) return;
  if (typeof value !== "object" || Array.isArray(value)) throw bad(key, "expected an object.");
}
