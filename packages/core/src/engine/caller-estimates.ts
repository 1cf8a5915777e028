/**
 * A lazy input-token estimate with a cheap upper bound: a token bound that
 * the bound already decides (`atMost < input_tokens_lt` holds,
 * `atMost <= input_tokens_gt` fails) never asks for the count.
 */
export interface InputTokenCounter {
  /** The estimate (whole prompt, all roles); called at most once per evaluation. */
  inputTokens(): number;
  /**
   * A number the estimate is known never to exceed, cheaper to get than the
   * estimate; called at most once per evaluation, before `inputTokens`. A
   * bound below the estimate would give wrong verdicts.
   */
  inputTokensAtMost(): number;
}

/**
 * The caller's input-token estimate (whole prompt, all roles): the number, a
 * function returning it, or an {@link InputTokenCounter}. The engine calls a
 * function (or the counter) at most once per evaluation, and only when a route
 * that needs it has passed every condition the request itself answers.
 */
export type InputTokenEstimate = number | (() => number) | InputTokenCounter;

/**
 * The caller's cost estimate on the requested model, in USD: the number (none,
 * or a non-finite number: unknown, and cost conditions never match), or a
 * function returning it, called like {@link InputTokenEstimate}'s.
 */
export type CostEstimate = number | null | undefined | (() => number | null | undefined);

function knownCost(cost: number | null | undefined): number | undefined {
  return typeof cost === "number" && Number.isFinite(cost) ? cost : undefined;
}

/**
 * One evaluation's token and cost estimates, resolved at most once each and
 * only when a condition asks. Reused across evaluations like `RequestFacts`.
 */
export class CallerEstimates {
  private tokens = 0;
  /** The caller's function or counter until the count has been taken. */
  private pendingTokens: (() => number) | InputTokenCounter | undefined;
  /** The counter's upper bound, once asked. */
  private upperBound: number | undefined;
  private cost: number | undefined;
  /** The caller's cost function until it has been called. */
  private pendingCost: (() => number | null | undefined) | undefined;

  reset(tokens: InputTokenEstimate, cost: CostEstimate): void {
    if (typeof tokens === "number") {
      this.pendingTokens = undefined;
      this.tokens = tokens;
    } else {
      this.pendingTokens = tokens;
      this.tokens = 0;
    }
    this.upperBound = undefined;
    if (typeof cost === "function") {
      this.pendingCost = cost;
      this.cost = undefined;
    } else {
      this.pendingCost = undefined;
      this.cost = knownCost(cost);
    }
  }

  /** Drops the caller's functions so what they hold can be collected. */
  release(): void {
    this.pendingTokens = undefined;
    this.pendingCost = undefined;
  }

  /** Whether the token estimate is a number already (given, or taken from the caller). */
  tokensKnown(): boolean {
    return this.pendingTokens === undefined;
  }

  /** Whether the cost estimate is resolved already (given, or the caller's function has run). */
  costKnown(): boolean {
    return this.pendingCost === undefined;
  }

  /** The input-token estimate; asks the caller on first use only. */
  inputTokens(): number {
    const pending = this.pendingTokens;
    if (pending !== undefined) {
      this.tokens = typeof pending === "function" ? pending() : pending.inputTokens();
      this.pendingTokens = undefined;
    }
    return this.tokens;
  }

  /** `estimate < bound`, decided by the counter's upper bound when it can be. */
  tokensBelow(bound: number): boolean {
    if (this.pendingTokens === undefined) return this.tokens < bound;
    if (this.upperBoundOrNaN() < bound) return true;
    return this.inputTokens() < bound;
  }

  /** `estimate > bound`, decided by the counter's upper bound when it can be. */
  tokensAbove(bound: number): boolean {
    if (this.pendingTokens === undefined) return this.tokens > bound;
    if (this.upperBoundOrNaN() <= bound) return false;
    return this.inputTokens() > bound;
  }

  /** The cost estimate, `undefined` when unknown; calls the caller's function on first use only. */
  costUsd(): number | undefined {
    const pending = this.pendingCost;
    if (pending !== undefined) {
      this.cost = knownCost(pending());
      this.pendingCost = undefined;
    }
    return this.cost;
  }

  /** The counter's upper bound (asked once), or NaN (every comparison false) without one. */
  private upperBoundOrNaN(): number {
    const pending = this.pendingTokens;
    if (pending === undefined || typeof pending === "function") return Number.NaN;
    this.upperBound ??= pending.inputTokensAtMost();
    return this.upperBound;
  }
}
