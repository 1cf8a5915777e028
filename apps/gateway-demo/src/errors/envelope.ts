import type { ApiKind } from "../protocol/api-kind.js";
import type { GatewayError } from "./gateway-error.js";

/** Anthropic's `error.type` for a status (their documented set). */
function anthropicType(error: GatewayError): string {
  switch (error.status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 504:
      return "timeout_error";
    case 529:
      return "overloaded_error";
    default:
      return error.status >= 500 ? "api_error" : "invalid_request_error";
  }
}

/** The OpenAI envelope: `{"error":{"message","type","code","param"}}`. */
function openaiErrorBody(error: GatewayError): string {
  return JSON.stringify({
    error: { message: error.message, type: error.type, code: error.code, param: error.param },
  });
}

/** The Anthropic envelope: `{"type":"error","error":{"type","message"}}`. */
function anthropicErrorBody(error: GatewayError): string {
  const body = { type: anthropicType(error), message: error.message };
  return JSON.stringify({
    type: "error",
    error: error.codeInAnthropicEnvelope ? { ...body, code: error.code, param: error.param } : body,
  });
}

export function errorBody(api: ApiKind, error: GatewayError): string {
  return api === "anthropic" ? anthropicErrorBody(error) : openaiErrorBody(error);
}

/** The SSE event that ends a stream that failed after its first byte. */
export function streamErrorEvent(api: ApiKind, error: GatewayError): string {
  return api === "anthropic"
    ? `event: error\ndata: ${anthropicErrorBody(error)}\n\n`
    : `data: ${openaiErrorBody(error)}\n\n`;
}
