import { type Dispatcher, util } from "undici";
import type { CancelToken } from "../cancel/cancel-token.js";
import type { StreamTransformer } from "../stream/stream-transformer.js";
import { type CollectedResponse, collectResponse, ResponseTooLarge } from "./collect-response.js";
import type { Payload } from "./payload.js";
import type { RuntimeProvider } from "./providers.js";
import { failureFromError, retryAfterMs, UpstreamFailure } from "./upstream-failure.js";

const ERROR_BODY_LIMIT = 64 * 1024;

export type UpstreamSuccess =
  | {
      readonly kind: "json";
      readonly body: Buffer;
      /** The body parsed: every 2xx answer is, translated or not (an unparseable one is a failure). */
      readonly value: Record<string, unknown>;
    }
  | {
      readonly kind: "stream";
      /** The first output for the client (non-empty). */
      readonly first: string | Buffer;
      readonly rest: AsyncIterator<Buffer>;
      readonly transformer: StreamTransformer;
      /** Stops reading the upstream (client gone). */
      readonly cancel: () => void;
    };

type Body = Dispatcher.ResponseData["body"];

/**
 * One attempt against one provider through its keep-alive pool. Resolves
 * with the whole body (non-streaming) or once the stream produced its first
 * client-visible output, so everything before that point can still fail
 * over. Rejects with an {@link UpstreamFailure}.
 */
export async function sendUpstream(
  provider: RuntimeProvider,
  payload: Payload,
  transformer: StreamTransformer | undefined,
  signal: CancelToken,
): Promise<UpstreamSuccess> {
  if (transformer === undefined) return sendForJson(provider, payload, signal);
  let response: Dispatcher.ResponseData;
  try {
    response = await provider.pool.request({
      method: "POST",
      path: payload.path,
      headers: payload.headers,
      body: payload.body,
      signal: signal.signal,
    });
  } catch (error) {
    throw failureFromError(error, provider.name);
  }
  const { statusCode, headers, body } = response;
  if (statusCode < 200 || statusCode >= 300) {
    throw statusFailure(provider, statusCode, headers, await readCapped(body, ERROR_BODY_LIMIT));
  }
  return firstOutput(provider, body, transformer);
}

/** A non-streamed attempt: `dispatch` with the body collected, no body stream (see collectResponse). */
async function sendForJson(
  provider: RuntimeProvider,
  payload: Payload,
  signal: CancelToken,
): Promise<UpstreamSuccess> {
  let response: CollectedResponse;
  try {
    response = await collectResponse(
      provider.pool,
      { method: "POST", path: payload.path, headers: payload.headers, body: payload.body },
      signal,
      ERROR_BODY_LIMIT,
      provider.maxResponseBytes,
    );
  } catch (error) {
    if (error instanceof ResponseTooLarge) {
      throw badResponse(
        provider,
        `an answer larger than ${error.limit} bytes (upstream.max_response_bytes)`,
      );
    }
    throw failureFromError(error, provider.name);
  }
  const { statusCode, body } = response;
  if (statusCode < 200 || statusCode >= 300) {
    throw statusFailure(provider, statusCode, util.parseHeaders(response.rawHeaders), body);
  }
  const value = parseAnswer(body);
  if (value === undefined) {
    throw badResponse(provider, `a ${statusCode} answer that is not a JSON object`, statusCode);
  }
  const problem = provider.dialect.answerProblem(value);
  if (problem !== undefined) throw badResponse(provider, problem, statusCode);
  return { kind: "json", body, value };
}

/** A 2xx answer as a JSON object, or `undefined` (truncated, empty, not JSON, not an object). */
function parseAnswer(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // not JSON
  }
  return undefined;
}

function badResponse(provider: RuntimeProvider, what: string, status?: number): UpstreamFailure {
  return new UpstreamFailure("bad_response", `provider ${provider.name} sent ${what}`, {
    provider: provider.name,
    ...(status === undefined ? {} : { status }),
  });
}

function statusFailure(
  provider: RuntimeProvider,
  statusCode: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): UpstreamFailure {
  const retryAfter = retryAfterMs(headers);
  return new UpstreamFailure("status", `provider ${provider.name} answered ${statusCode}`, {
    status: statusCode,
    body,
    provider: provider.name,
    ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }),
  });
}

async function firstOutput(
  provider: RuntimeProvider,
  body: Body,
  transformer: StreamTransformer,
): Promise<UpstreamSuccess> {
  const rest = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const cancel = () => body.destroy();
  try {
    for (;;) {
      const next = await rest.next();
      const out = next.done ? transformer.end() : transformer.push(next.value);
      if (out.length > 0) return { kind: "stream", first: out, rest, transformer, cancel };
      if (next.done) {
        throw new UpstreamFailure(
          "stream_broken",
          `provider ${provider.name} ended the stream before any event`,
          {
            provider: provider.name,
          },
        );
      }
    }
  } catch (error) {
    cancel();
    throw failureFromError(error, provider.name, true);
  }
}

async function readCapped(body: Body, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= limit) break;
    }
  } catch {
    // an error body that breaks off is still an error: keep what arrived
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}
