import { CONDITION_KEYS } from "../route/known-fields.js";
import type { Route } from "../route/types.js";
import type { KeywordTable } from "./keyword-table.js";
import type { RequestFacts } from "./request.js";

/**
 * A condition's wire name, or `enabled` for a disabled route. Listed in
 * evaluation order: `enabled`, then the conditions in wire order.
 */
export const CONDITION_ORDER = ["enabled", ...CONDITION_KEYS] as const;

export type ConditionName = (typeof CONDITION_ORDER)[number];

/** Tri-state of an optional boolean condition. */
const IGNORE = 0;
const MUST_BE_TRUE = 1;
const MUST_BE_FALSE = 2;

/** Bits of {@link CompiledRoute.checks}: which conditions a route has, so absent ones cost nothing. */
const TOKENS_LT = 1;
const TOKENS_GT = 2;
const TOKENS = TOKENS_LT | TOKENS_GT;
const TAG = 4;
const CONTENT_FLAGS = 8; // has_images, has_audio, stream, has_tools
const KEYWORDS = 16;
const COST = 32;

function triState(value: boolean | undefined): number {
  if (value === undefined) return IGNORE;
  return value ? MUST_BE_TRUE : MUST_BE_FALSE;
}

function flagFails(expected: number, actual: boolean): boolean {
  return expected !== IGNORE && actual !== (expected === MUST_BE_TRUE);
}

/**
 * A route prepared once for fast evaluation: bounds as plain numbers,
 * keywords lowercased, model names in a set. Every instance has the same
 * shape so the evaluation loop stays monomorphic.
 */
export class CompiledRoute {
  readonly route: Route;
  /** Which condition groups this route has (bits above). */
  readonly checks: number;
  /** Position in evaluation order. */
  readonly order: number;
  /** `null` when `model_in` is empty (any model). */
  readonly models: ReadonlySet<string> | null;
  readonly hasTokensLt: boolean;
  readonly tokensLt: number;
  readonly hasTokensGt: boolean;
  readonly tokensGt: number;
  readonly tag: string | null;
  readonly images: number;
  readonly audio: number;
  /** Interned lowercased keywords; `null` when the condition always holds (absent, empty, or an empty keyword). */
  readonly keywords: Int32Array | null;
  readonly hasCostGt: boolean;
  readonly costGt: number;
  readonly hasCostLt: boolean;
  readonly costLt: number;
  readonly stream: number;
  readonly tools: number;

  constructor(route: Route, order: number, keywordTable: KeywordTable) {
    const when = route.when;
    this.route = route;
    this.order = order;
    this.models = when.model_in.length > 0 ? new Set(when.model_in) : null;
    this.hasTokensLt = when.input_tokens_lt !== null && when.input_tokens_lt !== undefined;
    this.tokensLt = when.input_tokens_lt ?? 0;
    this.hasTokensGt = when.input_tokens_gt !== null && when.input_tokens_gt !== undefined;
    this.tokensGt = when.input_tokens_gt ?? 0;
    this.tag = when.tag_equals ?? null;
    this.images = triState(when.has_images);
    this.audio = triState(when.has_audio);
    const keywords = (when.prompt_contains_any_of ?? []).map((k) => k.toLowerCase());
    this.keywords =
      keywords.length === 0 || keywords.includes("")
        ? null
        : Int32Array.from(new Set(keywords), (k) => keywordTable.intern(k));
    this.hasCostGt = when.estimated_cost_gt !== undefined;
    this.costGt = when.estimated_cost_gt ?? 0;
    this.hasCostLt = when.estimated_cost_lt !== undefined;
    this.costLt = when.estimated_cost_lt ?? 0;
    this.stream = triState(when.stream);
    this.tools = triState(when.has_tools);
    this.checks =
      (this.hasTokensLt ? TOKENS_LT : 0) |
      (this.hasTokensGt ? TOKENS_GT : 0) |
      (this.tag !== null ? TAG : 0) |
      (this.images | this.audio | this.stream | this.tools ? CONTENT_FLAGS : 0) |
      (this.keywords !== null ? KEYWORDS : 0) |
      (this.hasCostGt || this.hasCostLt ? COST : 0);
  }

  /** Whether the route has a token bound (its verdict needs the token estimate). */
  get readsTokens(): boolean {
    return (this.checks & TOKENS) !== 0;
  }

  /** Whether the route has a cost bound (its verdict needs the cost estimate). */
  get readsCost(): boolean {
    return (this.checks & COST) !== 0;
  }
}

/**
 * The first condition in {@link CONDITION_ORDER} (after `model_in`, which the
 * engine's model index answers) that does not hold, or `undefined` when all
 * hold, for estimates that are numbers. `cost` is `undefined` when unknown.
 */
export function firstFailingCondition(
  c: CompiledRoute,
  facts: RequestFacts,
  tag: string | undefined,
  tokens: number,
  cost: number | undefined,
): ConditionName | undefined {
  const checks = c.checks;
  if (checks === 0) return undefined;
  if (checks & TOKENS_LT && !(tokens < c.tokensLt)) return "input_tokens_lt";
  if (checks & TOKENS_GT && !(tokens > c.tokensGt)) return "input_tokens_gt";
  if (checks & TAG && tag !== c.tag) return "tag_equals";
  if (checks & CONTENT_FLAGS) {
    if (c.images !== IGNORE && flagFails(c.images, facts.hasImages())) return "has_images";
    if (c.audio !== IGNORE && flagFails(c.audio, facts.hasAudio())) return "has_audio";
  }
  if (checks & KEYWORDS && !facts.containsAnyKeyword(c.keywords as Int32Array)) {
    return "prompt_contains_any_of";
  }
  if (checks & COST) {
    if (c.hasCostGt && !(cost !== undefined && cost > c.costGt)) return "estimated_cost_gt";
    if (c.hasCostLt && !(cost !== undefined && cost < c.costLt)) return "estimated_cost_lt";
  }
  if (checks & CONTENT_FLAGS) {
    if (c.stream !== IGNORE && flagFails(c.stream, facts.isStream())) return "stream";
    if (c.tools !== IGNORE && flagFails(c.tools, facts.hasTools())) return "has_tools";
  }
  return undefined;
}

/**
 * Whether every condition (after `model_in`) holds, with the caller's lazy
 * estimates (`facts.estimates`): the same answer as `firstFailingCondition`
 * with the numbers, but the conditions the request itself answers are
 * decided first, so an estimate is resolved only for a route that has
 * passed all of them (and a token counter's upper bound is asked first).
 */
export function allConditionsHold(
  c: CompiledRoute,
  facts: RequestFacts,
  tag: string | undefined,
): boolean {
  const checks = c.checks;
  if (checks === 0) return true;
  if (checks & TAG && tag !== c.tag) return false;
  if (
    checks & CONTENT_FLAGS &&
    (shapeFailure(c, facts) !== undefined || modalityFailure(c, facts) !== undefined)
  ) {
    return false;
  }
  if (checks & KEYWORDS && !facts.containsAnyKeyword(c.keywords as Int32Array)) return false;
  const estimates = facts.estimates;
  if (checks & TOKENS_LT && !estimates.tokensBelow(c.tokensLt)) return false;
  if (checks & TOKENS_GT && !estimates.tokensAbove(c.tokensGt)) return false;
  return !(checks & COST && costFailure(c, estimates.costUsd()) !== undefined);
}

function modalityFailure(c: CompiledRoute, facts: RequestFacts): ConditionName | undefined {
  if (c.images !== IGNORE && flagFails(c.images, facts.hasImages())) return "has_images";
  if (c.audio !== IGNORE && flagFails(c.audio, facts.hasAudio())) return "has_audio";
  return undefined;
}

/** Unknown cost (`undefined`) fails both bounds. */
function costFailure(c: CompiledRoute, cost: number | undefined): ConditionName | undefined {
  if (c.hasCostGt && !(cost !== undefined && cost > c.costGt)) return "estimated_cost_gt";
  if (c.hasCostLt && !(cost !== undefined && cost < c.costLt)) return "estimated_cost_lt";
  return undefined;
}

/** `stream` and `has_tools`: read straight from the body, no scan. */
function shapeFailure(c: CompiledRoute, facts: RequestFacts): ConditionName | undefined {
  if (c.stream !== IGNORE && flagFails(c.stream, facts.isStream())) return "stream";
  if (c.tools !== IGNORE && flagFails(c.tools, facts.hasTools())) return "has_tools";
  return undefined;
}
