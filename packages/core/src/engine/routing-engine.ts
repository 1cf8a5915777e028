import { frozenRoute } from "../route/freeze.js";
import type { Route } from "../route/types.js";
import type { CostEstimate, InputTokenEstimate } from "./caller-estimates.js";
import {
  allConditionsHold,
  CompiledRoute,
  type ConditionName,
  firstFailingCondition,
} from "./compiled-route.js";
import { describeFailure } from "./explain.js";
import { KeywordTable } from "./keyword-table.js";
import { KeywordUse } from "./keyword-use.js";
import { PreparedPrompt } from "./prepared-prompt.js";
import { RequestFacts, type RoutingContext } from "./request.js";
import type { RoutingRequest } from "./routing-request.js";

/** One route's outcome in {@link RoutingEngine.explain}. */
export interface RouteVerdict {
  readonly route: Route;
  readonly matched: boolean;
  /** The first condition that did not hold (`enabled` for a disabled route); absent when matched. */
  readonly failedCondition?: ConditionName;
  /** The verdict in words, e.g. `input tokens 1200 are not < 500`. */
  readonly reason: string;
}

export interface RoutingExplanation {
  /** The route `evaluate` picks: the first matching one, if any. */
  readonly route: Route | undefined;
  /** Every route in evaluation order with its own verdict. */
  readonly verdicts: readonly RouteVerdict[];
}

/** Above this many references, per-model candidate lists are not built (memory guard). */
const MAX_INDEX_REFERENCES = 250_000;

/** The routes a request may match, in order, and what such requests ask of the keyword search. */
interface Candidates {
  readonly routes: readonly CompiledRoute[];
  readonly keywordUse: KeywordUse;
}

function candidates(routes: readonly CompiledRoute[]): Candidates {
  return { routes, keywordUse: new KeywordUse() };
}

/** Merges two lists already in evaluation order. */
function mergeInOrder(a: readonly CompiledRoute[], b: readonly CompiledRoute[]): CompiledRoute[] {
  return [...a, ...b].sort((x, y) => x.order - y.order);
}

/**
 * Picks the route for a request: routes are sorted once by priority
 * (descending, ties in input order) and the first enabled route whose
 * conditions all hold wins. Routes are compiled at construction, and each
 * model gets its candidate list (its own routes and the any-model ones, in
 * order), so a request only visits routes that accept its model.
 */
export class RoutingEngine {
  /** All routes, disabled ones included, in evaluation order. */
  readonly routes: readonly Route[];
  private readonly compiled: readonly CompiledRoute[];
  private readonly keywords = new KeywordTable();
  /** Candidates per model; `undefined` when the index would be too large. */
  private readonly byModel: Map<string, Candidates> | undefined;
  /** Enabled routes that accept any model (the candidates of an unknown model). */
  private readonly anyModel: Candidates;
  private readonly enabled: Candidates;
  private readonly byName = new Map<string, Route>();
  private readonly facts: RequestFacts;

  constructor(routes: readonly Route[]) {
    // Frozen once here (copies of routes not frozen yet), so evaluate and findByName hand out
    // routes no caller can change for the next request, at no cost per request.
    const sorted = routes.map(frozenRoute).sort((a, b) => b.priority - a.priority);
    this.routes = Object.freeze(sorted);
    this.compiled = sorted.map((route, order) => new CompiledRoute(route, order, this.keywords));
    this.facts = new RequestFacts(this.keywords);
    const enabled = this.compiled.filter((c) => c.route.enabled);
    this.enabled = candidates(enabled);
    this.anyModel = candidates(enabled.filter((c) => c.models === null));
    for (const c of enabled) {
      if (!this.byName.has(c.route.name)) this.byName.set(c.route.name, c.route);
    }
    this.byModel = this.buildModelIndex();
  }

  private buildModelIndex(): Map<string, Candidates> | undefined {
    const specific = new Map<string, CompiledRoute[]>();
    for (const c of this.enabled.routes) {
      for (const model of c.models ?? []) {
        const list = specific.get(model);
        if (list) list.push(c);
        else specific.set(model, [c]);
      }
    }
    let references = 0;
    const anyModel = this.anyModel.routes;
    for (const list of specific.values()) references += list.length + anyModel.length;
    if (references > MAX_INDEX_REFERENCES) return undefined;
    const index = new Map<string, Candidates>();
    for (const [model, list] of specific)
      index.set(model, candidates(mergeInOrder(list, anyModel)));
    return index;
  }

  /**
   * The first enabled route whose conditions all hold, or `undefined` (dispatch unchanged).
   * @param inputTokens the caller's estimate for the whole prompt, all roles, or a function
   *   returning it: called at most once, and only when a route with a token condition has
   *   passed every condition the request itself answers (so often never).
   * @param estimatedCostUsd the caller's estimate on the requested model, or a function
   *   returning it (called like `inputTokens`); without it cost conditions never match.
   * The functions run inside `evaluate` and must not call back into this engine.
   */
  evaluate(
    request: RoutingRequest,
    context: RoutingContext,
    inputTokens: InputTokenEstimate,
    estimatedCostUsd?: CostEstimate,
  ): Route | undefined {
    const model = request.model;
    const index = this.byModel;
    const list =
      index === undefined
        ? this.enabled
        : (typeof model === "string" && index.get(model)) || this.anyModel;
    const routes = list.routes;
    const checkModel = index === undefined;
    const tag = context.tag;
    const facts = this.facts;
    facts.reset(request, inputTokens, estimatedCostUsd, list.keywordUse, context.prompt);
    const estimates = facts.estimates;
    // Numbers: compare them in condition order. Lazy estimates: cheaper conditions first.
    const numbers = estimates.tokensKnown() && estimates.costKnown();
    const tokens = numbers ? estimates.inputTokens() : 0;
    const cost = numbers ? estimates.costUsd() : undefined;
    let found: Route | undefined;
    for (let i = 0; i < routes.length; i++) {
      const c = routes[i] as CompiledRoute;
      if (checkModel && c.models !== null && !(typeof model === "string" && c.models.has(model))) {
        continue;
      }
      if (
        numbers
          ? firstFailingCondition(c, facts, tag, tokens, cost) === undefined
          : allConditionsHold(c, facts, tag)
      ) {
        found = c.route;
        break;
      }
    }
    facts.release();
    return found;
  }

  /**
   * Starts preparing the request's prompt for this engine's keyword
   * conditions, to be advanced in steps (each a bounded amount of work)
   * before `evaluate` or `explain` get it as `context.prompt`: how a caller
   * routes a very long prompt without holding the event loop for the whole
   * search. Nothing is done until the first `advance`.
   */
  preparePrompt(request: RoutingRequest): PreparedPrompt {
    return new PreparedPrompt(this.keywords, request);
  }

  /** First enabled route with exactly this name, conditions ignored (forced routing). */
  findByName(name: string): Route | undefined {
    return this.byName.get(name);
  }

  /**
   * Every route's verdict in evaluation order, and the route `evaluate` would pick.
   * The estimates are taken as by `evaluate`; a function is called (once) when the
   * first route that is enabled, accepts the model and has that condition is reached,
   * since the first failing condition is reported in `CONDITION_ORDER`.
   */
  explain(
    request: RoutingRequest,
    context: RoutingContext,
    inputTokens: InputTokenEstimate,
    estimatedCostUsd?: CostEstimate,
  ): RoutingExplanation {
    const facts = new RequestFacts(this.keywords);
    facts.reset(request, inputTokens, estimatedCostUsd, undefined, context.prompt);
    let winner: Route | undefined;
    const verdicts = this.compiled.map((c): RouteVerdict => {
      const failed = this.firstFailure(c, facts, request.model, context.tag);
      if (failed === undefined) {
        winner ??= c.route;
        return { route: c.route, matched: true, reason: "all conditions hold" };
      }
      const input = { request, tag: context.tag, facts };
      return {
        route: c.route,
        matched: false,
        failedCondition: failed,
        reason: describeFailure(c, failed, input),
      };
    });
    return { route: winner, verdicts };
  }

  private firstFailure(
    c: CompiledRoute,
    facts: RequestFacts,
    model: unknown,
    tag: string | undefined,
  ): ConditionName | undefined {
    if (!c.route.enabled) return "enabled";
    if (c.models !== null && !(typeof model === "string" && c.models.has(model))) return "model_in";
    const estimates = facts.estimates;
    const tokens = c.readsTokens ? estimates.inputTokens() : 0;
    return firstFailingCondition(
      c,
      facts,
      tag,
      tokens,
      c.readsCost ? estimates.costUsd() : undefined,
    );
  }
}
