import type { CatalogModel } from "@switchyard/core";
import { fullTurn } from "@switchyard/prefix-index";
import type { ModelConfig } from "../config/types.js";
import { dialectFor } from "../dialects/index.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";
import {
  type CollectedInput,
  collectedAtMost,
  collectInput,
  countCollected,
  countCollectedSliced,
} from "./token-estimate.js";

/** What the cost estimate reads of a catalog model: its prices and its provider's dialect. */
export type PricedModel = CatalogModel & Pick<ModelConfig, "providerKind">;

/**
 * Output tokens assumed when an OpenAI request sets no limit and is sent as
 * is (the reference's default): an estimate, not a bound (see `outputTokensOn`).
 */
const DEFAULT_OUTPUT_TOKENS = 1000;

/**
 * Longest prompt text (UTF-16 units, all roles) `inputTokens()` counts
 * synchronously: about a millisecond of tokenizing at worst. A longer one is
 * counted by `count()`, in slices that leave the event loop free.
 */
export const SYNC_COUNT_LIMIT = 2048;

/**
 * Thrown by `Estimates.inputTokens()` when the count is unknown and the prompt
 * too long to count synchronously; {@link withCount} catches it, counts with
 * `count()` and decides again. It never reaches a client.
 */
export class CountDeferred extends Error {
  constructor() {
    super("the token count of a long prompt is taken asynchronously; decide inside withCount()");
    this.name = "CountDeferred";
  }
}

/**
 * Runs `decide`, which may ask `estimates` for the token count. When that
 * count is deferred (a long prompt), counts it without holding the event loop
 * and, a turn later, runs `decide` again, which then finds the count known.
 * `decide` must have no effect before it asks (routing decisions are pure).
 * A short prompt decides synchronously: no promise, no extra turn.
 */
export function withCount<T>(estimates: Estimates, decide: () => T): T | Promise<T> {
  try {
    return decide();
  } catch (error) {
    if (!(error instanceof CountDeferred)) throw error;
    return estimates.count().then(fullTurn).then(decide);
  }
}

/**
 * A request's token and cost estimates, computed at most once and only when
 * a stage asks (tokenizing is the most expensive step of routing). Also the
 * routing engine's `InputTokenCounter`: a cheap upper bound decides most
 * token bounds and context-window checks without tokenizing. A prompt longer
 * than {@link SYNC_COUNT_LIMIT} is only counted by `count()` (asynchronous);
 * decisions that may need its count run inside {@link withCount}.
 */
export class Estimates {
  private input: CollectedInput | undefined;
  private tokens: number | undefined;
  private atMost: number | undefined;
  private counting: Promise<number> | undefined;

  constructor(
    private readonly api: ApiKind,
    private readonly body: JsonObject,
  ) {}

  /**
   * The estimate (whole prompt, all roles). Throws {@link CountDeferred} when
   * it is not known yet and the prompt is too long to count synchronously.
   */
  inputTokens(): number {
    if (this.tokens === undefined) {
      const input = this.collected();
      if (input.text.length > SYNC_COUNT_LIMIT) throw new CountDeferred();
      this.tokens = countCollected(input);
      this.input = undefined;
    }
    return this.tokens;
  }

  /**
   * The estimate, counted without holding the event loop: on a later turn, in
   * slices of a few milliseconds. The same number `inputTokens()` gives.
   */
  count(): Promise<number> {
    if (this.tokens !== undefined) return Promise.resolve(this.tokens);
    this.counting ??= countCollectedSliced(this.collected()).then((tokens) => {
      this.tokens = tokens;
      this.input = undefined;
      return tokens;
    });
    return this.counting;
  }

  /**
   * A number `inputTokens()` never exceeds, without tokenizing (UTF-8 bytes
   * of the text plus the extras); the count itself once it is known.
   */
  inputTokensAtMost(): number {
    if (this.tokens !== undefined) return this.tokens;
    this.atMost ??= collectedAtMost(this.collected());
    return this.atMost;
  }

  /** Length of the prompt text (UTF-16 units, all roles), without tokenizing. */
  promptChars(): number {
    return this.collected().text.length;
  }

  private collected(): CollectedInput {
    this.input ??= collectInput(this.api, this.body);
    return this.input;
  }

  /** Whether `inputTokens()` has run (so logs can include it for free). */
  get known(): number | undefined {
    return this.tokens;
  }

  /** The request's output limit, if it sets one. */
  maxTokens(): number | undefined {
    const b = this.body;
    const value = this.api === "openai" ? (b.max_completion_tokens ?? b.max_tokens) : b.max_tokens;
    return typeof value === "number" ? value : undefined;
  }

  /**
   * The output tokens the request may generate on `model`, all choices: the
   * limit it sets (`max_completion_tokens`, `max_tokens`); else the limit the
   * model's dialect sends for it (an OpenAI request translated to Anthropic:
   * 4096, see `Dialect.defaultMaxTokens`); else {@link DEFAULT_OUTPUT_TOKENS};
   * times OpenAI's `n` (validated: an integer from 1 to 128).
   */
  outputTokensOn(model: PricedModel | undefined): number {
    const sent = model && dialectFor(model.providerKind).defaultMaxTokens(this.api);
    const limit = this.maxTokens() ?? sent ?? DEFAULT_OUTPUT_TOKENS;
    const n = this.api === "openai" ? this.body.n : undefined;
    return limit * (typeof n === "number" ? n : 1);
  }

  /**
   * `(input * in_price + outputTokensOn(model) * out_price) / 1e6`; undefined without both prices.
   * With `"atMost"`, the same on `inputTokensAtMost()`: a cost the estimate never exceeds
   * (prices are >= 0), without tokenizing.
   */
  costOn(model: PricedModel | undefined, tokens: "exact" | "atMost" = "exact"): number | undefined {
    const input = model?.inputPricePerMillion;
    const output = model?.outputPricePerMillion;
    if (input === undefined || output === undefined) return undefined;
    const count = tokens === "atMost" && input >= 0 ? this.inputTokensAtMost() : this.inputTokens();
    return (count * input + this.outputTokensOn(model) * output) / 1e6;
  }
}
