import type { InvalidCacheControlError } from "./errors.js";

/** The OpenAI-style 400 body a gateway returns for an invalid marker. */
export interface InvalidCacheControlBody {
  readonly error: {
    readonly message: string;
    readonly type: "invalid_request_error";
    readonly code: "invalid_cache_control";
    readonly param: "cache_control";
  };
}

/**
 * The synchronous 400 for an `InvalidCacheControlError`:
 * `{"error":{"message","type":"invalid_request_error","code":"invalid_cache_control","param":"cache_control"}}`.
 * The message names the place (`messages[3].content[1]: ...`).
 */
export function invalidCacheControlResponse(error: InvalidCacheControlError): {
  readonly status: 400;
  readonly body: InvalidCacheControlBody;
} {
  return {
    status: 400,
    body: {
      error: {
        message: error.message,
        type: "invalid_request_error",
        code: "invalid_cache_control",
        param: "cache_control",
      },
    },
  };
}
