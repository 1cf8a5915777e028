/**
 * Every error the gateway answers with on purpose. `status` is the HTTP
 * status, `type` and `code` are stable strings for clients (OpenAI-style
 * `error.type` / `error.code`), `param` names the offending field.
 * The envelope (OpenAI or Anthropic) is chosen when the error is written.
 */
export class GatewayError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | null;
  /** Extra response headers, e.g. `retry-after`. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Also put `code` and `param` into the Anthropic envelope (its own shape has neither). */
  readonly codeInAnthropicEnvelope: boolean;

  constructor(
    status: number,
    type: string,
    code: string,
    message: string,
    options: {
      param?: string | null;
      headers?: Record<string, string>;
      cause?: unknown;
      codeInAnthropicEnvelope?: boolean;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GatewayError";
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = options.param ?? null;
    this.headers = options.headers;
    this.codeInAnthropicEnvelope = options.codeInAnthropicEnvelope === true;
  }
}

export const invalidRequest = (
  message: string,
  param: string | null = null,
  code = "invalid_request",
) => new GatewayError(400, "invalid_request_error", code, message, { param });

export const unauthorized = () =>
  new GatewayError(
    401,
    "authentication_error",
    "invalid_api_key",
    "Missing or invalid API key: send `Authorization: Bearer <key>` or `x-api-key: <key>`.",
  );

export const notFound = (message: string, code = "not_found") =>
  new GatewayError(404, "not_found_error", code, message);

export const payloadTooLarge = (limit: number) =>
  new GatewayError(
    413,
    "request_too_large",
    "request_too_large",
    `Request body exceeds the gateway's limit of ${limit} bytes (server.body_limit_bytes).`,
  );

export const internalError = (cause: unknown) =>
  new GatewayError(500, "api_error", "internal_error", "Internal gateway error.", { cause });
