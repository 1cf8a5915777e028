import {
  type CacheTariff,
  type CacheTariffInput,
  type PricedTokens,
  priceUsage,
  resolveTariff,
} from "@switchyard/prefix-index";
import type { ModelConfig } from "../config/types.js";
import type { ApiKind } from "../protocol/api-kind.js";

/** The prefix-index tariff of a catalog model: its prices plus its `cache_tariff` multipliers and floor. */
export function tariffInput(model: ModelConfig): CacheTariffInput | undefined {
  const input = model.inputPricePerMillion;
  const output = model.outputPricePerMillion;
  if (input === undefined || output === undefined) return undefined;
  const t = model.cacheTariff;
  return {
    inputPerMillion: input,
    outputPerMillion: output,
    ...(t === undefined
      ? {}
      : {
          writeMultipliers: t.writeMultipliers,
          readMultiplier: t.readMultiplier,
          minPrefixTokens: t.minPrefixTokens,
        }),
  };
}

const NO_WRITES = Object.freeze({ "5m": 0, "1h": 0, "24h": 0 });

/**
 * Request costs in USD with the prefix index's formula:
 * `uncached*in + read*in*read_mult + sum(creation_tier*in*write_mult_tier) + completion*out`.
 * Every catalog model with both prices has a price; models without a
 * `cache_tariff` simply never have reads or writes.
 */
export class Pricing {
  private readonly tariffs = new Map<string, CacheTariff>();

  constructor(models: ReadonlyMap<string, ModelConfig>) {
    for (const model of models.values()) {
      const input = tariffInput(model);
      if (input) this.tariffs.set(model.name, resolveTariff(input, `models.${model.name}`));
    }
  }

  /** The cost of what the client was billed, on `model`'s prices; undefined without prices. */
  cost(model: string, billed: PricedTokens): number | undefined {
    const tariff = this.tariffs.get(model);
    return tariff === undefined ? undefined : priceUsage(tariff, billed).totalUsd;
  }

  /**
   * What prompt caching saved on `billed`, net: its price with every prompt
   * token at the full input price, minus its price as billed (reads are
   * cheaper, writes dearer, so it is negative while writes have not paid
   * off); undefined without prices.
   */
  promptCacheSavings(model: string, billed: PricedTokens): number | undefined {
    const tariff = this.tariffs.get(model);
    if (tariff === undefined) return undefined;
    const uncached = { ...billed, cacheReadTokens: 0, cacheCreationTokens: NO_WRITES };
    return priceUsage(tariff, uncached).totalUsd - priceUsage(tariff, billed).totalUsd;
  }

  /** The same formula with no cache reads or writes: `prompt*in + completion*out`, allocation-free. */
  plainCost(model: string, tokens: PlainTokens): number | undefined {
    const tariff = this.tariffs.get(model);
    if (tariff === undefined) return undefined;
    return (
      (tokens.prompt * tariff.inputPerMillion + tokens.completion * tariff.outputPerMillion) / 1e6
    );
  }
}

/** Prompt and completion tokens of a usage object. */
export interface PlainTokens {
  /** The whole input: OpenAI `prompt_tokens`; Anthropic `input_tokens` plus the provider's own cache reads and writes. */
  readonly prompt: number;
  readonly completion: number;
}

/**
 * The tokens of a usage object that no prompt-cache accounting touched
 * (counted as the prefix index's `scrubUsage` counts them, without copying
 * the object); `undefined` without an input count.
 */
export function plainTokens(api: ApiKind, usage: Record<string, unknown>): PlainTokens | undefined {
  if (api === "openai") {
    const prompt = tokenCount(usage.prompt_tokens);
    return prompt === undefined
      ? undefined
      : { prompt, completion: tokenCount(usage.completion_tokens) ?? 0 };
  }
  const input = tokenCount(usage.input_tokens);
  if (input === undefined) return undefined;
  const prompt =
    input +
    (tokenCount(usage.cache_read_input_tokens) ?? 0) +
    (tokenCount(usage.cache_creation_input_tokens) ?? 0);
  return { prompt, completion: tokenCount(usage.output_tokens) ?? 0 };
}

/** A token count of a usage object: a finite number >= 0, else undefined. */
export function tokenCount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}
