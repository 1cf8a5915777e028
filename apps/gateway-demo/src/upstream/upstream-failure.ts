import type { GatewayError } from "../errors/gateway-error.js";
import { MalformedStream } from "../stream/malformed-stream.js";

export type FailureKind =
  /** The upstream answered with a non-2xx status. */
  | "status"
  /** Connect, headers or body timeout. */
  | "timeout"
  /** Could not connect, or the connection broke. */
  | "network"
  /** The stream ended or broke before its first event. */
  | "stream_broken"
  /** A 2xx answer the gateway cannot parse (or above its size bound): a broken upstream, as a 5xx. */
  | "bad_response"
  /** The provider's circuit breaker is open. */
  | "circuit_open"
  /** The candidate is not in the catalog. */
  | "unknown_model"
  /** The gateway refused the candidate (e.g. an unsupported translation). */
  | "rejected";

/** Why one upstream attempt (or a whole candidate) failed. */
export class UpstreamFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly details: {
      readonly status?: number;
      readonly retryAfterMs?: number;
      /** The upstream's error body (capped), for the client's error message. */
      readonly body?: Buffer;
      readonly provider?: string;
      readonly rejection?: GatewayError;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "UpstreamFailure";
  }

  get status(): number | undefined {
    return this.details.status;
  }

  private get serverSide(): boolean {
    const s = this.details.status;
    return s !== undefined && (s >= 500 || s === 408);
  }

  /** Worth another attempt on the same candidate: 429, 5xx, 408, timeouts, broken connections or answers. */
  get retryable(): boolean {
    if (this.kind === "status") return this.details.status === 429 || this.serverSide;
    return this.brokenUpstream;
  }

  /** docs/routing.md#fallbacks: model not found, timeout, 5xx and 429 move on to the next candidate; other 4xx stop. */
  get fallbackEligible(): boolean {
    if (this.kind === "status") return this.retryable || this.details.status === 404;
    return true;
  }

  /** Counts against the provider's circuit breaker (it is down, not merely busy or picky). */
  get breakerFailure(): boolean {
    if (this.kind === "status") return this.serverSide;
    return this.brokenUpstream;
  }

  private get brokenUpstream(): boolean {
    const k = this.kind;
    return k === "timeout" || k === "network" || k === "stream_broken" || k === "bad_response";
  }
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "ETIMEDOUT",
]);

/** Maps an undici/network error to a failure; `whileStreaming` marks errors before the first event. */
export function failureFromError(
  error: unknown,
  provider: string,
  beforeFirstEvent = false,
): UpstreamFailure {
  if (error instanceof UpstreamFailure) return error;
  if (error instanceof MalformedStream) {
    return new UpstreamFailure("bad_response", `provider ${provider} sent ${error.message}`, {
      provider,
      cause: error,
    });
  }
  const code = (error as { code?: unknown })?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (typeof code === "string" && TIMEOUT_CODES.has(code)) {
    return new UpstreamFailure("timeout", `provider ${provider} timed out (${code})`, {
      provider,
      cause: error,
    });
  }
  const kind = beforeFirstEvent ? "stream_broken" : "network";
  return new UpstreamFailure(kind, `provider ${provider} connection failed: ${text}`, {
    provider,
    cause: error,
  });
}

/** `retry-after-ms`, else `retry-after` (seconds or an HTTP date), in milliseconds. */
export function retryAfterMs(
  headers: Record<string, string | string[] | undefined>,
): number | undefined {
  const ms = Number(first(headers["retry-after-ms"]));
  if (Number.isFinite(ms) && ms >= 0 && first(headers["retry-after-ms"]) !== undefined) return ms;
  const value = first(headers["retry-after"]);
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
