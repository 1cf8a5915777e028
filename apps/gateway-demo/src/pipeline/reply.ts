import type { ServerResponse } from "node:http";
import { formatUsd } from "@switchyard/core";
import { headerValue } from "../http/header-value.js";
import { sendJson } from "../http/send.js";
import { isRecord, type JsonObject } from "../protocol/json.js";
import type { RequestContext } from "../protocol/request-context.js";
import type { CachedAnswer } from "../response-cache/response-cache.js";
import { replayAsStream } from "../stream/replay-stream.js";

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

/** Writes a non-streamed answer with the gateway's headers. */
export function sendAnswer(res: ServerResponse, ctx: RequestContext, answer: CachedAnswer): void {
  setResponseHeaders(res, ctx, answer.modelUsed);
  if (ctx.costUsd !== undefined) res.setHeader("x-switchyard-cost-usd", formatUsd(ctx.costUsd));
  sendJson(res, 200, answer.body);
}

/** A stored answer replayed as the stream the client asked for. */
export function sendReplay(
  res: ServerResponse,
  ctx: RequestContext,
  answer: CachedAnswer,
  includeUsage: boolean,
): void {
  const value = parseObject(answer.body) ?? {};
  const stream = replayAsStream(ctx.api, value, includeUsage);
  setResponseHeaders(res, ctx, answer.modelUsed);
  res.writeHead(200, SSE_HEADERS);
  ctx.firstByteNs = Number(process.hrtime.bigint() - ctx.startedAt);
  res.end(stream);
}

export function setResponseHeaders(
  res: ServerResponse,
  ctx: RequestContext,
  modelUsed: string,
): void {
  res.setHeader("x-switchyard-model-used", headerValue(modelUsed));
  if (ctx.routeName !== undefined) res.setHeader("x-switchyard-route", headerValue(ctx.routeName));
  const cache = ctx.responseCache ?? "bypass";
  res.setHeader("x-switchyard-cache", cache === "coalesced" ? "hit" : cache);
}

function parseObject(body: string | Buffer): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
