import { GatewayError } from "../errors/gateway-error.js";
import type { ApiKind } from "../protocol/api-kind.js";

const NAMES: Record<ApiKind, string> = {
  openai: "OpenAI Chat Completions",
  anthropic: "Anthropic Messages",
};

/** 400 for a request feature that has no faithful equivalent in the target model's API. */
export function untranslatable(
  from: ApiKind,
  to: ApiKind,
  param: string,
  what: string,
): GatewayError {
  return new GatewayError(
    400,
    "invalid_request_error",
    "unsupported_translation",
    `${what} cannot be translated from the ${NAMES[from]} API to the ${NAMES[to]} API, which the selected model speaks; remove \`${param}\` or choose a model of the other API.`,
    { param },
  );
}
