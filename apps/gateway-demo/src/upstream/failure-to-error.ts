import { GatewayError } from "../errors/gateway-error.js";
import type { UpstreamFailure } from "./upstream-failure.js";

interface UpstreamErrorInfo {
  message?: string;
  type?: string;
  code?: string;
  param?: string;
}

/** The message/type/code/param of an OpenAI or Anthropic error body, if it is one. */
function upstreamError(body: Buffer | undefined): UpstreamErrorInfo {
  if (!body || body.length === 0) return {};
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { error?: Record<string, unknown> };
    const e = parsed.error;
    if (typeof e !== "object" || e === null) return {};
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    const info: UpstreamErrorInfo = {};
    const message = str(e.message);
    const type = str(e.type);
    const code = str(e.code);
    const param = str(e.param);
    if (message !== undefined) info.message = message;
    if (type !== undefined) info.type = type;
    if (code !== undefined) info.code = code;
    if (param !== undefined) info.param = param;
    return info;
  } catch {
    return { message: body.toString("utf8").slice(0, 500) };
  }
}

function retryAfterHeader(ms: number | undefined): Record<string, string> | undefined {
  return ms === undefined
    ? undefined
    : { "retry-after": String(Math.max(1, Math.ceil(ms / 1000))) };
}

/**
 * What the client sees when dispatch failed (the status table in apps/gateway-demo/README.md, "Errors"):
 * upstream 429 -> 429 with `retry-after`; model not found -> 404; upstream
 * 5xx, a broken connection or an unparseable answer -> 502; timeout -> 504;
 * open circuit -> 503;
 * any other upstream 4xx keeps its status and message.
 */
export function failureToError(failure: UpstreamFailure): GatewayError {
  const { details } = failure;
  const provider = details.provider ?? "upstream";
  switch (failure.kind) {
    case "rejected":
      return (
        details.rejection ??
        new GatewayError(400, "invalid_request_error", "invalid_request", failure.message)
      );
    case "unknown_model":
      return new GatewayError(
        404,
        "not_found_error",
        "model_not_found",
        `${failure.message}; GET /v1/models lists the catalog.`,
        {
          param: "model",
        },
      );
    case "circuit_open":
      return new GatewayError(
        503,
        "api_error",
        "provider_unavailable",
        `${failure.message}; retry later.`,
        {
          headers: retryAfterHeader(details.retryAfterMs) ?? {},
        },
      );
    case "timeout":
      return new GatewayError(504, "api_error", "upstream_timeout", `${failure.message}.`);
    case "network":
    case "stream_broken":
    case "bad_response":
      return new GatewayError(502, "api_error", "upstream_error", `${failure.message}.`);
    case "status":
      return statusError(failure, provider);
  }
}

function statusError(failure: UpstreamFailure, provider: string): GatewayError {
  const status = failure.status ?? 502;
  const info = upstreamError(failure.details.body);
  const said = info.message ? `: ${info.message}` : "";
  if (status === 429) {
    return new GatewayError(
      429,
      "rate_limit_error",
      "rate_limit_exceeded",
      `Provider ${provider} is rate limiting${said}`,
      {
        headers: retryAfterHeader(failure.details.retryAfterMs) ?? {},
      },
    );
  }
  if (status === 404) {
    return new GatewayError(
      404,
      "not_found_error",
      info.code ?? "model_not_found",
      `Provider ${provider}: not found${said}`,
      {
        param: info.param ?? "model",
      },
    );
  }
  if (status >= 500 || status === 408 || status < 400) {
    return new GatewayError(
      502,
      "api_error",
      "upstream_error",
      `Provider ${provider} failed with status ${status}${said}`,
    );
  }
  return new GatewayError(
    status,
    info.type ?? "invalid_request_error",
    info.code ?? "upstream_rejected",
    info.message ?? `Provider ${provider} rejected the request with status ${status}.`,
    {
      param: info.param ?? null,
    },
  );
}
