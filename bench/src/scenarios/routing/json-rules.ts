import type { Route, RoutingContext, RoutingRequest } from "@switchyard/core";
import { Engine, type RuleResult, type TopLevelCondition } from "json-rules-engine";
import { evaluationOrder } from "./fixtures.js";
import { lowerPromptText } from "./prompt-text.js";

type Condition = Extract<TopLevelCondition, { all: unknown }>["all"][number];

export interface JsonRules {
  decide(
    request: RoutingRequest,
    context: RoutingContext,
    inputTokens: number,
    estimatedCostUsd?: number,
  ): Promise<Route | undefined>;
}

/** The route's conditions as json-rules-engine conditions; the model test runs first. */
function conditionsOf(route: Route): Condition[] {
  const when = route.when;
  const out: Condition[] = [];
  const fact = (name: string, operator: string, value: unknown): Condition => ({
    fact: name,
    operator,
    value,
  });
  if (when.model_in.length > 0) out.push({ ...fact("model", "in", when.model_in), priority: 2 });
  if (when.input_tokens_lt !== null)
    out.push(fact("inputTokens", "lessThan", when.input_tokens_lt));
  if (when.input_tokens_gt !== null) {
    out.push(fact("inputTokens", "greaterThan", when.input_tokens_gt));
  }
  if (when.tag_equals !== null) out.push(fact("tag", "equal", when.tag_equals));
  const keywords = (when.prompt_contains_any_of ?? []).map((k) => k.toLowerCase());
  if (keywords.length > 0 && !keywords.includes("")) {
    out.push({ any: keywords.map((k) => fact("promptText", "containsText", k)) });
  }
  // An unknown cost is passed as null, which the numeric operators reject.
  if (when.estimated_cost_gt !== undefined) {
    out.push(fact("cost", "greaterThan", when.estimated_cost_gt));
  }
  if (when.estimated_cost_lt !== undefined)
    out.push(fact("cost", "lessThan", when.estimated_cost_lt));
  return out;
}

function order(result: RuleResult): number {
  return (result.event?.params?.order as number | undefined) ?? Number.POSITIVE_INFINITY;
}

/**
 * The same rules in json-rules-engine: one rule per enabled route with the
 * route's priority (+1: the engine wants priorities >= 1), facts `model`,
 * `inputTokens`, `tag`, `cost` and a cached dynamic `promptText`. The first
 * success stops the run after its priority set (the library's idiom for
 * "first match"); among the rules that fired the highest priority wins and
 * ties go to evaluation order, as in RoutingEngine.
 */
export function buildJsonRules(routes: readonly Route[]): JsonRules {
  const ordered = evaluationOrder(routes);
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator("containsText", (text: unknown, keyword: string) => {
    return typeof text === "string" && text.includes(keyword);
  });
  engine.addFact("promptText", async (_params, almanac) => {
    return lowerPromptText(await almanac.factValue("messages"));
  });
  ordered.forEach((route, i) => {
    if (!route.enabled) return;
    engine.addRule({
      name: route.name,
      priority: route.priority + 1,
      conditions: { all: conditionsOf(route) },
      event: { type: "route", params: { order: i } },
    });
  });
  engine.on("success", () => {
    engine.stop();
  });

  return {
    async decide(request, context, inputTokens, estimatedCostUsd) {
      const cost = Number.isFinite(estimatedCostUsd) ? estimatedCostUsd : null;
      const { results } = await engine.run({
        model: request.model ?? null,
        inputTokens,
        tag: context.tag ?? null,
        cost,
        messages: request.messages ?? null,
      });
      let best: RuleResult | undefined;
      for (const result of results) {
        if (
          best === undefined ||
          (result.priority ?? 0) > (best.priority ?? 0) ||
          (result.priority === best.priority && order(result) < order(best))
        ) {
          best = result;
        }
      }
      return best === undefined ? undefined : ordered[order(best)];
    },
  };
}
