import { applyGapCap, type GapCap } from "./gap-cap.js";
import {
  type ApiFormat,
  type CacheSplit,
  isJsonObject,
  type JsonObject,
  sumTiers,
  type TierCounts,
  ZERO_TIERS,
} from "./types.js";

/** Provider cache fields removed from every usage object before ours go in. */
const PROVIDER_CACHE_FIELDS: readonly string[] = [
  "cache_read_input_tokens",
  "cache_creation_input_tokens",
  "cache_creation",
  "prompt_cache_hit_tokens",
  "prompt_cache_miss_tokens",
  "cache_discount",
];

/** A usage object without provider cache fields, and its token counts. */
export interface ScrubbedUsage {
  readonly usage: JsonObject;
  /** The full input: OpenAI `prompt_tokens`; Anthropic `input_tokens` + the provider's cache reads and writes. */
  readonly promptTokens: number | undefined;
  /** OpenAI `completion_tokens`, Anthropic `output_tokens`. */
  readonly completionTokens: number | undefined;
}

/** The numbers billed for one response: exactly what the client sees. */
export interface BilledUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly cacheReadTokens: number;
  readonly cacheCreationTokens: TierCounts;
  /** `max(0, prompt - read - creations)`. */
  readonly uncachedTokens: number;
  readonly gapCap: GapCap;
}

/** A rewritten usage object and what it bills. */
export interface ReportedUsage {
  /** The usage object for the client. */
  readonly usage: JsonObject;
  /** `undefined` when the usage object has no input count (e.g. an Anthropic `message_delta` with only `output_tokens`). */
  readonly billed: BilledUsage | undefined;
  readonly completionTokens: number | undefined;
}

/**
 * Removes the provider's cache fields and sets `prompt_tokens_details.cached_tokens`
 * to 0 where present. An Anthropic `input_tokens` gets the provider's cache
 * reads and writes folded back in, so it is the full input again.
 */
export function scrubUsage(format: ApiFormat, usage: JsonObject): ScrubbedUsage {
  const out: JsonObject = { ...usage };
  for (const field of PROVIDER_CACHE_FIELDS) delete out[field];
  if (isJsonObject(out.prompt_tokens_details)) {
    out.prompt_tokens_details = { ...out.prompt_tokens_details, cached_tokens: 0 };
  }
  if (format === "openai") {
    return {
      usage: out,
      promptTokens: count(usage.prompt_tokens),
      completionTokens: count(usage.completion_tokens),
    };
  }
  const input = count(usage.input_tokens);
  const promptTokens =
    input === undefined
      ? undefined
      : input +
        (count(usage.cache_read_input_tokens) ?? 0) +
        (count(usage.cache_creation_input_tokens) ?? 0);
  if (promptTokens !== undefined) out.input_tokens = promptTokens;
  return { usage: out, promptTokens, completionTokens: count(usage.output_tokens) };
}

/**
 * Scrubs, then, when `split` is given (the model has a tariff) and the usage
 * has an input count, injects the gap-capped split:
 * - OpenAI: `prompt_tokens` unchanged, `prompt_tokens_details.cached_tokens` =
 *   `cache_read_input_tokens` = read, `cache_creation_input_tokens` = all creations,
 *   `cache_creation` = the per-tier breakdown;
 * - Anthropic: `input_tokens` = prompt - read - creations, plus the same three fields.
 * `split === null` (no tariff) only scrubs.
 */
export function reportUsage(
  format: ApiFormat,
  usage: JsonObject,
  split: CacheSplit | null,
): ReportedUsage {
  const scrubbed = scrubUsage(format, usage);
  const { promptTokens, completionTokens } = scrubbed;
  if (promptTokens === undefined) {
    return { usage: scrubbed.usage, billed: undefined, completionTokens };
  }
  const billedOf = (read: number, creation: TierCounts, gapCap: GapCap): BilledUsage => ({
    promptTokens,
    completionTokens: completionTokens ?? 0,
    cacheReadTokens: read,
    cacheCreationTokens: creation,
    uncachedTokens: Math.max(0, promptTokens - read - sumTiers(creation)),
    gapCap,
  });
  if (split === null) {
    return { usage: scrubbed.usage, billed: billedOf(0, ZERO_TIERS, "none"), completionTokens };
  }
  const capped = applyGapCap(split, promptTokens);
  const creations = sumTiers(capped.creation);
  const cacheFields = {
    cache_creation_input_tokens: creations,
    cache_read_input_tokens: capped.read,
    cache_creation: {
      ephemeral_5m_input_tokens: capped.creation["5m"],
      ephemeral_1h_input_tokens: capped.creation["1h"],
      ephemeral_24h_input_tokens: capped.creation["24h"],
    },
  };
  const out: JsonObject =
    format === "openai"
      ? {
          ...scrubbed.usage,
          prompt_tokens_details: {
            ...(isJsonObject(scrubbed.usage.prompt_tokens_details)
              ? scrubbed.usage.prompt_tokens_details
              : {}),
            cached_tokens: capped.read,
          },
          ...cacheFields,
        }
      : {
          ...scrubbed.usage,
          input_tokens: promptTokens - capped.read - creations,
          ...cacheFields,
        };
  return {
    usage: out,
    billed: billedOf(capped.read, capped.creation, capped.gapCap),
    completionTokens,
  };
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}
