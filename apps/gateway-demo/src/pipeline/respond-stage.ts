import type { ServerResponse } from "node:http";
import { formatUsd } from "@switchyard/core";
import type {
  BilledUsage,
  Classification,
  ReportedUsage,
  ResponseOutcome,
  UsageStream,
} from "@switchyard/prefix-index";
import { streamErrorEvent } from "../errors/envelope.js";
import { GatewayError } from "../errors/gateway-error.js";
import { headerValue } from "../http/header-value.js";
import { sendJson } from "../http/send.js";
import { type PlainTokens, type Pricing, plainTokens } from "../prompt-cache/pricing.js";
import type { PromptCacheService } from "../prompt-cache/prompt-cache-service.js";
import type { ProviderBilling } from "../prompt-cache/provider-billing.js";
import type { ApiKind } from "../protocol/api-kind.js";
import { isRecord, type JsonObject } from "../protocol/json.js";
import type { RequestContext, UsageRecord } from "../protocol/request-context.js";
import { isStorableAnswer } from "../response-cache/answer-shape.js";
import type { CachedAnswer } from "../response-cache/response-cache.js";
import { replayAsStream } from "../stream/replay-stream.js";
import { UsageSniffer } from "../stream/usage-sniffer.js";
import { failureToError } from "../upstream/failure-to-error.js";
import { failureFromError } from "../upstream/upstream-failure.js";
import type { Dispatched } from "./dispatch-stage.js";
import { spliceUsage, usageSpan } from "./usage-extract.js";

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  "x-accel-buffering": "no",
};

/** A request's prompt-cache accounting: the service and the classification running alongside the upstream call. */
export interface PromptAccounting {
  readonly service: PromptCacheService;
  readonly classification: Promise<Classification>;
}

export interface AnswerDeps {
  readonly pricing: Pricing;
  /** Answers larger than this are never stored in the response cache. */
  readonly maxStoredBytes: number;
  /** Models that bill the provider's own cache numbers (`cache_accounting: "provider"`). */
  readonly providerBilling: ProviderBilling;
}

/** A non-streamed answer ready to send (and, when `cacheable`, to store). */
export interface BuiltAnswer extends CachedAnswer {
  readonly usage: UsageRecord | undefined;
  readonly costUsd: number | undefined;
}

/**
 * A non-streamed upstream success in the client's API: translated when the
 * provider speaks the other one, its usage rewritten by the prompt-cache
 * accounting (models with a tariff: the caller awaited the classification;
 * the commit is scheduled right after the response is written), priced, and (`forCache`) judged storable. An
 * unchanged body keeps its exact upstream bytes; an answer that will not be
 * stored only has its `usage` object parsed (and, when accounted, replaced
 * in place, every other byte kept).
 */
export function buildAnswer(
  api: ApiKind,
  dispatched: Dispatched,
  accounting: PromptAccounting | undefined,
  classification: Classification | undefined,
  deps: AnswerDeps,
  ctx: RequestContext,
  forCache: boolean,
): BuiltAnswer {
  const { result } = dispatched;
  if (result.kind !== "json") throw new Error("buildAnswer needs a non-streamed response");
  const model = dispatched.model.name;
  // A model that bills the provider's cache numbers takes no part in the gateway's accounting.
  const account =
    accounting && classification && !deps.providerBilling.bills(model)
      ? { accounting, classification }
      : undefined;
  if (!dispatched.translated && !forCache) {
    // Not stored: only the usage object is read (and, when accounted, replaced in place).
    const span = usageSpan(result.body, api);
    if (span !== undefined) {
      if (account === undefined) return plainAnswer(api, result.body, model, span.usage, deps, ctx);
      const reported = account.accounting.service.prefix.reportUsage(
        api,
        span.usage,
        account.classification,
      );
      const body = reported ? spliceUsage(result.body, span, reported.usage) : result.body;
      return accountedAnswer(body, model, reported, account, deps, ctx, false);
    }
  }
  let value: JsonObject | undefined;
  if (dispatched.translated) {
    value = dispatched.provider.dialect.responseTo(api, result.value).value;
  } else {
    value = result.value; // parsed when it arrived (send-upstream)
  }
  if (account !== undefined) {
    const reported =
      value === undefined
        ? undefined
        : account.accounting.service.prefix.reportUsage(api, value.usage, account.classification);
    if (reported && value) value.usage = reported.usage;
    const body =
      value !== undefined && (reported || dispatched.translated)
        ? JSON.stringify(value)
        : result.body;
    const cacheable = forCache && storable(api, value, body, deps);
    return accountedAnswer(body, model, reported, account, deps, ctx, cacheable);
  }
  const body = dispatched.translated ? JSON.stringify(value) : result.body;
  const usage = isRecord(value?.usage) ? value.usage : undefined;
  const answer = plainAnswer(api, body, model, usage, deps, ctx);
  return { ...answer, cacheable: forCache && storable(api, value, body, deps) };
}

/**
 * An answer without the gateway's prompt-cache accounting: usage and cost
 * from its usage object as it is, with the provider's cache numbers for a
 * model that bills them.
 */
function plainAnswer(
  api: ApiKind,
  body: string | Buffer,
  model: string,
  usageObject: JsonObject | undefined,
  deps: AnswerDeps,
  ctx: RequestContext,
): BuiltAnswer {
  const bill = deps.providerBilling.bill(ctx, api, model, usageObject);
  if (bill) return { body, modelUsed: model, cacheable: false, ...bill };
  const tokens = usageObject && plainTokens(api, usageObject);
  return {
    body,
    modelUsed: model,
    cacheable: false,
    usage: tokens && { input: tokens.prompt, output: tokens.completion },
    costUsd: tokens && deps.pricing.plainCost(model, tokens),
  };
}

/** An answer whose usage the prompt-cache accounting rewrote; its commit runs right after the response. */
function accountedAnswer(
  body: string | Buffer,
  model: string,
  reported: ReportedUsage | undefined,
  account: { accounting: PromptAccounting; classification: Classification },
  deps: AnswerDeps,
  ctx: RequestContext,
  cacheable: boolean,
): BuiltAnswer {
  const billed = reported?.billed;
  const outcome: ResponseOutcome = { status: 200, usageSeen: reported !== undefined, billed };
  const { accounting, classification } = account;
  recordPromptCache(
    ctx,
    classification,
    billed,
    billed && deps.pricing.promptCacheSavings(model, billed),
  );
  if (classification.pendingWrites.length === 0 && classification.pendingRefresh === null) {
    void accounting.service.commit(classification, outcome); // nothing to write: only counted
  } else {
    // After the response: the caller writes it in this same tick, before this runs.
    setImmediate(() => void accounting.service.commit(classification, outcome));
  }
  return {
    body,
    modelUsed: model,
    cacheable,
    usage: billed && usageRecord(billed),
    costUsd: billed && deps.pricing.cost(model, billed),
  };
}

/** One finished text answer within the size bound. */
function storable(
  api: ApiKind,
  value: JsonObject | undefined,
  body: string | Buffer,
  deps: AnswerDeps,
): boolean {
  const size = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  return value !== undefined && size <= deps.maxStoredBytes && isStorableAnswer(api, value);
}

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

/**
 * Streams a successful upstream response in the client's API. With
 * prompt-cache accounting, the output goes through the package's
 * `UsageStream` (only the usage frames change; what precedes a usage frame
 * is written before it waits for the classification, so the first token
 * never does); otherwise passthrough usage is sniffed for the cost. A
 * stream that breaks after its first byte cannot fail over any more: it
 * ends with an error event in the client's API, never with a clean finish,
 * and commits nothing.
 */
export async function streamResponse(
  res: ServerResponse,
  ctx: RequestContext,
  dispatched: Dispatched,
  accounting: PromptAccounting | undefined,
  pricing: Pricing,
  providerBilling: ProviderBilling,
): Promise<void> {
  const { result } = dispatched;
  if (result.kind !== "stream") throw new Error("streamResponse needs a streamed response");
  setResponseHeaders(res, ctx, dispatched.model.name);
  res.writeHead(200, SSE_HEADERS);
  const { rest, transformer } = result;
  const byProvider = providerBilling.bills(dispatched.model.name);
  const usageStream =
    accounting && !byProvider
      ? accounting.service.prefix.usageStream(ctx.api, accounting.classification)
      : undefined;
  // The provider's cache numbers are read from what the client receives (translators carry them).
  const sniffer =
    usageStream === undefined && (byProvider || transformer.usage === undefined)
      ? new UsageSniffer(ctx.api)
      : undefined;
  let failed = false;
  try {
    await emit(res, result.first, usageStream, sniffer);
    ctx.firstByteNs = Number(process.hrtime.bigint() - ctx.startedAt);
    for (;;) {
      const next = await rest.next();
      const out = next.done ? transformer.end() : transformer.push(next.value);
      if (out.length > 0) await emit(res, out, usageStream, sniffer);
      if (next.done) break;
    }
    if (usageStream) {
      const tail = await usageStream.end();
      if (tail.length > 0) await write(res, tail);
    }
  } catch (error) {
    failed = true;
    result.cancel(); // a broken stream is not read further
    if (!res.destroyed) {
      const failure = failureFromError(error, dispatched.provider.name);
      const gatewayError = error instanceof GatewayError ? error : failureToError(failure);
      ctx.errorCode = "stream_interrupted";
      res.write(streamErrorEvent(ctx.api, gatewayError));
    }
  }
  res.end();
  const broken = failed || ctx.clientAborted === true;
  const model = dispatched.model.name;
  if (usageStream && accounting) {
    const billed = usageStream.billed;
    const outcome = usageStream.outcome(broken ? 502 : 200);
    const { service } = accounting;
    void accounting.classification.then((classification) => {
      recordPromptCache(
        ctx,
        classification,
        billed,
        billed && pricing.promptCacheSavings(model, billed),
      );
      return service.commit(classification, outcome);
    });
    if (billed && !broken) {
      ctx.usage = usageRecord(billed);
      const cost = pricing.cost(model, billed);
      if (cost !== undefined) ctx.costUsd = cost;
    }
    return;
  }
  if (byProvider && !broken && providerBilling.bill(ctx, ctx.api, model, sniffer?.usage())) return;
  // Translated streams count their usage; passthrough streams were sniffed.
  const u = transformer.usage;
  const tokens: PlainTokens | undefined = u
    ? { prompt: u.input, completion: u.output }
    : sniffer?.tokens();
  if (tokens && !broken) {
    ctx.usage = { input: tokens.prompt, output: tokens.completion };
    const cost = pricing.plainCost(model, tokens);
    if (cost !== undefined) ctx.costUsd = cost;
  }
}

/**
 * Writes one output: through the usage rewriter (what precedes a usage frame
 * first), or straight to the socket (the sniffer only keeps a reference).
 */
async function emit(
  res: ServerResponse,
  out: string | Buffer,
  usageStream: UsageStream | undefined,
  sniffer: UsageSniffer | undefined,
): Promise<void> {
  if (usageStream === undefined) {
    sniffer?.keep(out);
    await write(res, out);
    return;
  }
  // The rewriter only edits frames mentioning usage or an error (it passes
  // everything else byte for byte and learns nothing from it), so such parts
  // go straight out. Outputs and the parts before a usage frame end on an
  // event boundary.
  let wrote = false;
  for (const part of splitBeforeUsage(out)) {
    if (part.indexOf("usage") === -1 && part.indexOf("error") === -1) {
      await write(res, part);
      wrote = true;
      continue;
    }
    // Node corks the socket until the next tick: let what was just written
    // (the first tokens) leave before the usage frame is worked on.
    if (wrote) await nextTick();
    const edited = await usageStream.push(part);
    if (edited.length > 0) await write(res, edited);
  }
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}

function setResponseHeaders(res: ServerResponse, ctx: RequestContext, modelUsed: string): void {
  res.setHeader("x-switchyard-model-used", headerValue(modelUsed));
  if (ctx.routeName !== undefined) res.setHeader("x-switchyard-route", headerValue(ctx.routeName));
  const cache = ctx.responseCache ?? "bypass";
  res.setHeader("x-switchyard-cache", cache === "coalesced" ? "hit" : cache);
}

function recordPromptCache(
  ctx: RequestContext,
  classification: Classification,
  billed: BilledUsage | undefined,
  savedUsd: number | undefined,
): void {
  const creation = billed?.cacheCreationTokens;
  ctx.promptCache = {
    outcome: classification.outcome,
    read: billed?.cacheReadTokens ?? 0,
    written: creation ? creation["5m"] + creation["1h"] + creation["24h"] : 0,
  };
  if (savedUsd !== undefined) ctx.promptCache.saved_usd = savedUsd;
}

/** Usage with prompt-cache accounting: the whole prompt, the completion, reads and writes. */
function usageRecord(billed: BilledUsage): UsageRecord {
  const c = billed.cacheCreationTokens;
  return {
    input: billed.promptTokens,
    output: billed.completionTokens,
    cacheRead: billed.cacheReadTokens,
    cacheWrite: c["5m"] + c["1h"] + c["24h"],
  };
}

function parseObject(body: string | Buffer): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(typeof body === "string" ? body : body.toString("utf8"));
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const USAGE_KEY = '"usage"';

/**
 * The output split just before the event that carries usage, so the events
 * before it are written at once while the usage event waits for the
 * classification. Outputs always end on an event boundary.
 */
function splitBeforeUsage(out: string | Buffer): Array<string | Buffer> {
  const at = out.indexOf(USAGE_KEY);
  if (at <= 0) return [out];
  const lf = out.lastIndexOf("\n\n", at);
  const crlf = out.lastIndexOf("\r\n\r\n", at);
  const cut = Math.max(lf === -1 ? 0 : lf + 2, crlf === -1 ? 0 : crlf + 4);
  return cut === 0 ? [out] : [out.slice(0, cut), out.slice(cut)];
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
