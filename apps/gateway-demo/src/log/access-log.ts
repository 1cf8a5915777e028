import type { ServerResponse } from "node:http";
import { formatUsd } from "@switchyard/core";
import pino from "pino";
import type { RequestContext, UsageRecord } from "../protocol/request-context.js";
import type { Logger } from "./logger.js";

const { lsCacheSym, timeSym, chindingsSym, streamSym } = pino.symbols;

/** pino's own parts of a line (its `symbols` are exported for integrations like this one). */
interface LineParts {
  /** `{"level":30` per level value. */
  readonly levelPrefix: Record<number, string>;
  /** `,"time":…` */
  readonly time: () => string;
  /** The logger's bindings, `,"service":…` */
  readonly bindings: string;
  readonly destination: { write(line: string): unknown };
}

function lineParts(logger: Logger): LineParts {
  const internals = logger as unknown as Record<symbol, unknown>;
  return {
    levelPrefix: internals[lsCacheSym] as Record<number, string>,
    time: internals[timeSym] as () => string,
    bindings: internals[chindingsSym] as string,
    destination: internals[streamSym] as LineParts["destination"],
  };
}

/**
 * The one structured line per request: who (org id, never the key), what
 * (API, requested and used model, route id and name), how (attempts,
 * fallbacks, upstream status, response cache, prompt-cache accounting),
 * usage and cost, and how long. Undefined fields are omitted.
 *
 * Written by hand in pino's line format (level, time, the logger's bindings,
 * the fields, `msg`) straight to the logger's destination: pino's generic
 * object serialization of ~25 fields was 3-5% of the gateway's CPU per
 * request. The gateway's loggers use no formatters, mixins or serializers.
 */
export function logRequest(
  logger: Logger,
  ctx: RequestContext,
  res: ServerResponse,
  durationNs: number,
): void {
  const status = res.statusCode;
  const level = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
  if (!logger.isLevelEnabled(level)) return;
  const parts = lineParts(logger);
  const line =
    (parts.levelPrefix[logger.levels.values[level] as number] as string) +
    parts.time() +
    parts.bindings +
    requestFields(ctx, status, durationNs) +
    ',"msg":"request"}\n';
  parts.destination.write(line);
}

/** The request's fields as JSON members, each with a leading comma. */
export function requestFields(ctx: RequestContext, status: number, durationNs: number): string {
  let out = `,"req_id":${str(ctx.id)},"method":${str(ctx.method)},"path":${str(ctx.path)},"status":${status},"duration_ms":${Math.round(durationNs / 1000) / 1000}`;
  if (ctx.orgId !== undefined) out += `,"org":${str(ctx.orgId)},"api":"${ctx.api}"`;
  if (ctx.requestedModel !== undefined) out += `,"model":${str(ctx.requestedModel)}`;
  if (ctx.modelUsed !== undefined) out += `,"model_used":${str(ctx.modelUsed)}`;
  if (ctx.routeId !== undefined) out += `,"route_id":${str(ctx.routeId)}`;
  if (ctx.routeName !== undefined) out += `,"route":${str(ctx.routeName)}`;
  if (ctx.forcedRoute !== undefined) out += `,"forced":${ctx.forcedRoute}`;
  if (ctx.routeBypass !== undefined) out += `,"route_bypass":${str(ctx.routeBypass)}`;
  if (ctx.stream !== undefined) out += `,"stream":${ctx.stream}`;
  if (ctx.attempts) out += `,"attempts":${ctx.attempts}`;
  if (ctx.fallbacks) out += `,"fallbacks":${ctx.fallbacks}`;
  if (ctx.upstreamStatus !== undefined) out += `,"upstream_status":${ctx.upstreamStatus}`;
  if (ctx.inputTokens !== undefined) out += `,"input_tokens_est":${num(ctx.inputTokens)}`;
  if (ctx.estimatedCostUsd !== undefined) out += `,"est_cost_usd":${usd(ctx.estimatedCostUsd)}`;
  if (ctx.usage) out += `,"usage":${JSON.stringify(usageFields(ctx.usage))}`;
  if (ctx.costUsd !== undefined) out += `,"cost_usd":${usd(ctx.costUsd)}`;
  if (ctx.responseCache !== undefined) out += `,"cache":"${ctx.responseCache}"`;
  if (ctx.cacheBypass !== undefined) out += `,"cache_bypass":${str(ctx.cacheBypass)}`;
  if (ctx.promptCache) out += `,"prompt_cache":${promptCacheFields(ctx.promptCache)}`;
  if (ctx.errorCode !== undefined) out += `,"error":${str(ctx.errorCode)}`;
  if (ctx.clientAborted !== undefined) out += `,"client_aborted":${ctx.clientAborted}`;
  return out;
}

const str = (value: string): string => JSON.stringify(value);
/** JSON has no NaN or Infinity: as JSON.stringify writes them. */
const num = (value: number): string => (Number.isFinite(value) ? String(value) : "null");
/** Money at the gateway's one precision (`formatUsd`: a plain decimal, also a JSON number). */
const usd = (value: number): string => (Number.isFinite(value) ? formatUsd(value) : "null");

/** `{outcome, read, written}` plus `saved_usd` when known, money as `usd` writes it. */
function promptCacheFields(p: NonNullable<RequestContext["promptCache"]>): string {
  const saved = p.saved_usd === undefined ? "" : `,"saved_usd":${usd(p.saved_usd)}`;
  return `{"outcome":${str(p.outcome)},"read":${num(p.read)},"written":${num(p.written)}${saved}}`;
}

/** `{input, output}` plus, with prompt-cache accounting, `cache_read` and `cache_write`. */
function usageFields(usage: UsageRecord): Record<string, number> {
  const out: Record<string, number> = { input: usage.input, output: usage.output };
  if (usage.cacheRead !== undefined) out.cache_read = usage.cacheRead;
  if (usage.cacheWrite !== undefined) out.cache_write = usage.cacheWrite;
  return out;
}
