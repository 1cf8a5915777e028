import type { TtlTier } from "@switchyard/core";
import type { BilledUsage } from "@switchyard/prefix-index";
import type { ModelConfig } from "../config/types.js";
import type { ApiKind } from "../protocol/api-kind.js";
import { isRecord, type JsonObject } from "../protocol/json.js";
import type { RequestContext, UsageRecord } from "../protocol/request-context.js";
import { type Pricing, plainTokens, tokenCount } from "./pricing.js";

/** Where provider-billed cache tokens are counted for `/metrics` (the prompt-cache service). */
export interface ProviderCacheCounter {
  countProviderUsage(model: string, billed: BilledUsage): void;
}

/** What a provider-billed answer carries: its usage record and cost. */
export interface ProviderBill {
  readonly usage: UsageRecord;
  readonly costUsd: number | undefined;
}

/**
 * The provider's own cache reads and writes in a usage object, as billed
 * numbers: Anthropic's `cache_read_input_tokens` and
 * `cache_creation_input_tokens` (its `cache_creation` breakdown gives the
 * 1-hour part, the rest is 5-minute writes), OpenAI's
 * `prompt_tokens_details.cached_tokens` (reads only: OpenAI bills no writes).
 * A translated answer carries the same fields (the translators map them).
 * The whole prompt is counted as `plainTokens` counts it; reads and writes
 * are capped to it. `undefined` without an input count.
 */
function providerBilled(api: ApiKind, usage: JsonObject): BilledUsage | undefined {
  const tokens = plainTokens(api, usage);
  if (tokens === undefined) return undefined;
  const details = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const read = Math.min(
    tokens.prompt,
    tokenCount(usage.cache_read_input_tokens) ?? tokenCount(details.cached_tokens) ?? 0,
  );
  const written = Math.min(
    tokens.prompt - read,
    tokenCount(usage.cache_creation_input_tokens) ?? 0,
  );
  const creation = isRecord(usage.cache_creation) ? usage.cache_creation : {};
  const hour = Math.min(written, tokenCount(creation.ephemeral_1h_input_tokens) ?? 0);
  const day = Math.min(written - hour, tokenCount(creation.ephemeral_24h_input_tokens) ?? 0);
  const tiers: Record<TtlTier, number> = { "5m": written - hour - day, "1h": hour, "24h": day };
  return {
    promptTokens: tokens.prompt,
    completionTokens: tokens.completion,
    cacheReadTokens: read,
    cacheCreationTokens: tiers,
    uncachedTokens: tokens.prompt - read - written,
    gapCap: "none",
  };
}

/**
 * Billing with the provider's cache numbers, for catalog models with
 * `cache_accounting: "provider"` (and a `cache_tariff` to price them).
 */
export class ProviderBilling {
  private readonly models: ReadonlySet<string>;

  constructor(
    models: ReadonlyMap<string, ModelConfig>,
    private readonly pricing: Pricing,
    private readonly counter: ProviderCacheCounter,
  ) {
    const names = [...models.values()].filter((m) => m.cacheAccounting === "provider");
    this.models = new Set(names.map((m) => m.name));
  }

  /** Whether answers of this (answering) model bill the provider's cache numbers. */
  bills(model: string): boolean {
    return this.models.has(model);
  }

  /**
   * Bills an answer of `model` from the usage object the client sees: sets
   * `ctx.usage`, `ctx.costUsd` and `ctx.promptCache` (outcome `provider`,
   * with the net saving) and counts the read and written tokens for
   * `/metrics` under the requested model. `undefined` (nothing set) when
   * the model bills the gateway's numbers or the usage has no input count.
   */
  bill(
    ctx: RequestContext,
    api: ApiKind,
    model: string,
    usage: JsonObject | undefined,
  ): ProviderBill | undefined {
    if (!this.models.has(model) || usage === undefined) return undefined;
    const billed = providerBilled(api, usage);
    if (billed === undefined) return undefined;
    const c = billed.cacheCreationTokens;
    const written = c["5m"] + c["1h"] + c["24h"];
    const record: UsageRecord = {
      input: billed.promptTokens,
      output: billed.completionTokens,
      cacheRead: billed.cacheReadTokens,
      cacheWrite: written,
    };
    const costUsd = this.pricing.cost(model, billed);
    ctx.usage = record;
    if (costUsd !== undefined) ctx.costUsd = costUsd;
    ctx.promptCache = { outcome: "provider", read: billed.cacheReadTokens, written };
    const saved = this.pricing.promptCacheSavings(model, billed);
    if (saved !== undefined) ctx.promptCache.saved_usd = saved;
    this.counter.countProviderUsage(ctx.requestedModel ?? model, billed);
    return { usage: record, costUsd };
  }
}
