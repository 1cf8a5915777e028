import type { Route } from "../route/types.js";
import { CompiledRoute, type ConditionName, firstFailingCondition } from "./compiled-route.js";
import { describeFailure } from "./explain.js";
import { RequestFacts, type RoutingContext, type RoutingRequest } from "./request.js";

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

const NO_ROUTES: readonly CompiledRoute[] = [];

function knownCost(cost: number | null | undefined): number | undefined {
  return typeof cost === "number" && Number.isFinite(cost) ? cost : undefined;
}

/**
 * Picks the route for a request: routes are sorted once by priority
 * (descending, ties in input order) and the first enabled route whose
 * conditions all hold wins. Routes are compiled at construction; a model
 * index means a request only visits routes that accept its model.
 */
export class RoutingEngine {
  /** All routes, disabled ones included, in evaluation order. */
  readonly routes: readonly Route[];
  private readonly compiled: readonly CompiledRoute[];
  private readonly byModel = new Map<string, CompiledRoute[]>();
  private readonly anyModel: CompiledRoute[] = [];
  private readonly byName = new Map<string, Route>();
  private readonly facts = new RequestFacts();

  constructor(routes: readonly Route[]) {
    const sorted = [...routes].sort((a, b) => b.priority - a.priority);
    this.routes = Object.freeze(sorted);
    this.compiled = sorted.map((route, order) => new CompiledRoute(route, order));
    for (const c of this.compiled) {
      if (!c.route.enabled) continue;
      if (!this.byName.has(c.route.name)) this.byName.set(c.route.name, c.route);
      if (c.models === null) {
        this.anyModel.push(c);
        continue;
      }
      for (const model of c.models) {
        const list = this.byModel.get(model);
        if (list) list.push(c);
        else this.byModel.set(model, [c]);
      }
    }
  }

  /**
   * The first enabled route whose conditions all hold, or `undefined` (dispatch unchanged).
   * @param inputTokens the caller's estimate for the whole prompt, all roles.
   * @param estimatedCostUsd the caller's estimate on the requested model; without it cost conditions never match.
   */
  evaluate(
    request: RoutingRequest,
    context: RoutingContext,
    inputTokens: number,
    estimatedCostUsd?: number | null,
  ): Route | undefined {
    const model = request.model;
    const specific = (typeof model === "string" && this.byModel.get(model)) || NO_ROUTES;
    const wildcard = this.anyModel;
    const cost = knownCost(estimatedCostUsd);
    const tag = context.tag;
    const facts = this.facts;
    facts.reset(request);
    try {
      let i = 0;
      let j = 0;
      while (i < specific.length || j < wildcard.length) {
        const a = specific[i];
        const b = wildcard[j];
        let c: CompiledRoute;
        if (b === undefined || (a !== undefined && a.order < b.order)) {
          c = a as CompiledRoute;
          i++;
        } else {
          c = b;
          j++;
        }
        if (firstFailingCondition(c, facts, tag, inputTokens, cost) === undefined) return c.route;
      }
      return undefined;
    } finally {
      facts.reset(undefined);
    }
  }

  /** First enabled route with exactly this name, conditions ignored (forced routing). */
  findByName(name: string): Route | undefined {
    return this.byName.get(name);
  }

  /** Every route's verdict in evaluation order, and the route `evaluate` would pick. */
  explain(
    request: RoutingRequest,
    context: RoutingContext,
    inputTokens: number,
    estimatedCostUsd?: number | null,
  ): RoutingExplanation {
    const cost = knownCost(estimatedCostUsd);
    const facts = new RequestFacts();
    facts.reset(request);
    let winner: Route | undefined;
    const verdicts = this.compiled.map((c): RouteVerdict => {
      const failed = this.firstFailure(c, facts, request.model, context.tag, inputTokens, cost);
      if (failed === undefined) {
        winner ??= c.route;
        return { route: c.route, matched: true, reason: "all conditions hold" };
      }
      const input = { request, tag: context.tag, inputTokens, cost, facts };
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
    tokens: number,
    cost: number | undefined,
  ): ConditionName | undefined {
    if (!c.route.enabled) return "enabled";
    if (c.models !== null && !(typeof model === "string" && c.models.has(model))) return "model_in";
    return firstFailingCondition(c, facts, tag, tokens, cost);
  }
}
