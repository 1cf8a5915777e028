import type { CatalogModel } from "@switchyard/core";
import type { ApiKind } from "./api-kind.js";
import type { JsonObject } from "./parse-json.js";
import {
  type CollectedInput,
  collectedAtMost,
  collectInput,
  countCollected,
} from "./token-estimate.js";

/** Output tokens assumed when the request sets no limit (routing.md). */
export const DEFAULT_OUTPUT_TOKENS = 1000;

/**
 * A request's token and cost estimates, computed at most once and only when
 * a stage asks (tokenizing is the most expensive step of routing). Also the
 * routing engine's `InputTokenCounter`: a cheap upper bound decides most
 * token bounds and context-window checks without tokenizing.
 */
export class Estimates {
  private input: CollectedInput | undefined;
  private tokens: number | undefined;
  private atMost: number | undefined;

  constructor(
    private readonly api: ApiKind,
    private readonly body: JsonObject,
  ) {}

  inputTokens(): number {
    if (this.tokens === undefined) {
      this.tokens = countCollected(this.collected());
      this.input = undefined;
    }
    return this.tokens;
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
   * `(input * in_price + (max_tokens or 1000) * out_price) / 1e6`; undefined without both prices.
   * With `"atMost"`, the same on `inputTokensAtMost()`: a cost the estimate never exceeds
   * (prices are >= 0), without tokenizing.
   */
  costOn(
    model: CatalogModel | undefined,
    tokens: "exact" | "atMost" = "exact",
  ): number | undefined {
    const input = model?.inputPricePerMillion;
    const output = model?.outputPricePerMillion;
    if (input === undefined || output === undefined) return undefined;
    const count = tokens === "atMost" && input >= 0 ? this.inputTokensAtMost() : this.inputTokens();
    return (count * input + (this.maxTokens() ?? DEFAULT_OUTPUT_TOKENS) * output) / 1e6;
  }
}
