import type { CatalogModel } from "@switchyard/core";
import type { ApiKind } from "./api-kind.js";
import type { JsonObject } from "./parse-json.js";
import { estimateInputTokens } from "./token-estimate.js";

/** Output tokens assumed when the request sets no limit (routing.md). */
export const DEFAULT_OUTPUT_TOKENS = 1000;

/**
 * A request's token and cost estimates, computed at most once and only when
 * a stage asks (tokenizing is the most expensive step of routing).
 */
export class Estimates {
  private tokens: number | undefined;

  constructor(
    private readonly api: ApiKind,
    private readonly body: JsonObject,
  ) {}

  inputTokens(): number {
    this.tokens ??= estimateInputTokens(this.api, this.body);
    return this.tokens;
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

  /** `(input * in_price + (max_tokens or 1000) * out_price) / 1e6`; undefined without both prices. */
  costOn(model: CatalogModel | undefined): number | undefined {
    const input = model?.inputPricePerMillion;
    const output = model?.outputPricePerMillion;
    if (input === undefined || output === undefined) return undefined;
    return (
      (this.inputTokens() * input + (this.maxTokens() ?? DEFAULT_OUTPUT_TOKENS) * output) / 1e6
    );
  }
}
