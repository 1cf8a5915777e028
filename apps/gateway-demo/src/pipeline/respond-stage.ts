import type { ServerResponse } from "node:http";
import { streamErrorEvent } from "../errors/envelope.js";
import { failureToError } from "../errors/failure-to-error.js";
import { GatewayError } from "../errors/gateway-error.js";
import { sendJson } from "../http/send.js";
import { anthropicToOpenaiResponse, openaiToAnthropicResponse } from "../translate/responses.js";
import { failureFromError } from "../upstream/upstream-failure.js";
import type { Dispatched } from "./dispatch-stage.js";
import type { RequestContext } from "./request-context.js";

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

/**
 * Writes a successful upstream response in the client's dialect, with the
 * routing headers. A stream that breaks after its first byte cannot fail
 * over any more: it ends with an error event in the client's dialect, never
 * with a clean finish.
 */
export async function respond(
  res: ServerResponse,
  ctx: RequestContext,
  dispatched: Dispatched,
): Promise<void> {
  res.setHeader("x-switchyard-model-used", dispatched.model.name);
  if (ctx.routeName !== undefined) res.setHeader("x-switchyard-route", ctx.routeName);
  const { result } = dispatched;
  if (result.kind === "json") {
    if (!dispatched.translated) return sendJson(res, 200, result.body);
    const translated =
      dispatched.provider.kind === "anthropic"
        ? anthropicToOpenaiResponse(result.body)
        : openaiToAnthropicResponse(result.body);
    ctx.usage = {
      input: translated.usage.input + translated.usage.cacheRead,
      output: translated.usage.output,
    };
    return sendJson(res, 200, translated.body);
  }
  res.writeHead(200, SSE_HEADERS);
  const { rest, transformer } = result;
  try {
    await write(res, result.first);
    for (;;) {
      const next = await rest.next();
      const out = next.done ? transformer.end() : transformer.push(next.value);
      if (out.length > 0) await write(res, out);
      if (next.done) break;
    }
  } catch (error) {
    if (res.destroyed) return;
    const failure = failureFromError(error, dispatched.provider.name);
    const gatewayError = error instanceof GatewayError ? error : failureToError(failure);
    ctx.errorCode = "stream_interrupted";
    res.write(streamErrorEvent(ctx.api, gatewayError));
  } finally {
    if (transformer.usage) ctx.usage = transformer.usage;
  }
  res.end();
}

function write(res: ServerResponse, data: string | Buffer): Promise<void> | undefined {
  if (res.write(data)) return undefined;
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
