import type {
  BilledUsage,
  Classification,
  ReportedUsage,
  ResponseOutcome,
} from "@switchyard/prefix-index";
import { type Pricing, plainTokens } from "../prompt-cache/pricing.js";
import type { PromptCacheService } from "../prompt-cache/prompt-cache-service.js";
import type { ProviderBilling } from "../prompt-cache/provider-billing.js";
import type { ApiKind } from "../protocol/api-kind.js";
import { isRecord, type JsonObject } from "../protocol/json.js";
import type { RequestContext, UsageRecord } from "../protocol/request-context.js";
import { isStorableAnswer } from "../response-cache/answer-shape.js";
import type { CachedAnswer } from "../response-cache/response-cache.js";
import type { Dispatched } from "./dispatch-stage.js";
import { spliceUsage, usageSpan } from "./usage-extract.js";

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

export function recordPromptCache(
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
export function usageRecord(billed: BilledUsage): UsageRecord {
  const c = billed.cacheCreationTokens;
  return {
    input: billed.promptTokens,
    output: billed.completionTokens,
    cacheRead: billed.cacheReadTokens,
    cacheWrite: c["5m"] + c["1h"] + c["24h"],
  };
}
