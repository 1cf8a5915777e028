import { formatUsd, type PreparedPrompt, type Route, type RoutingEngine } from "@switchyard/core";
import { fullTurn } from "@switchyard/prefix-index";
import type { ModelConfig } from "../config/types.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";
import { missingCapability, requestNeeds } from "./capability-guard.js";
import { assertFitsContextWindow, contextOverflow } from "./context-window.js";
import { Estimates, type PricedModel, withCount } from "./estimates.js";
import { LONG_PROMPT_CHARS, preparedApart } from "./long-prompt.js";
import { routingView } from "./routing-view.js";

export interface RouteInput {
  readonly api: ApiKind;
  readonly body: JsonObject;
  /** The org's engine; `undefined` when the route store failed (dispatch unchanged). */
  readonly engine: RoutingEngine | undefined;
  /** Raw `x-switchyard-tag`. */
  readonly tag: string | undefined;
  /** `x-switchyard-route`: forced routing by name. */
  readonly forcedName: string | undefined;
  /**
   * The request's estimates, when the caller keeps them (see `withCount`: a
   * long prompt is counted asynchronously and the decision taken again).
   */
  readonly estimates?: Estimates;
  /** The prompt prepared ahead for the engine's keyword conditions (long prompts). */
  readonly prompt?: PreparedPrompt | undefined;
}

export interface RoutingDecision {
  /** The route applied, if any. */
  readonly route: Route | undefined;
  readonly forced: boolean;
  /** Catalog model names to try in order: the target, then its fallbacks. */
  readonly candidates: readonly string[];
  /** Why a matched route was not applied (capability guard). */
  readonly bypass: string | undefined;
  readonly estimates: Estimates;
  /** Cost estimate on the requested model, when the engine asked for it. */
  readonly requestedCostUsd: number | undefined;
}

/**
 * Estimate, forced route, evaluation, capability guard, rewrite, the context
 * window of the model dispatched first (400) and the `max_cost_usd` ceiling
 * of the matched route (402), applied even when the guard skips the route.
 * Nothing is dispatched on a throw (GatewayError: unknown forced route,
 * context window, ceiling).
 */
export function decideRoute(
  models: ReadonlyMap<string, ModelConfig>,
  input: RouteInput,
): RoutingDecision {
  const { api, body, engine } = input;
  const requested = body.model as string;
  const estimates = input.estimates ?? new Estimates(api, body);
  let requestedCostUsd: number | undefined;
  let route: Route | undefined;
  const forced = input.forcedName !== undefined;
  if (input.forcedName !== undefined) {
    route = forcedRoute(engine, input.forcedName);
  } else if (engine !== undefined && engine.routes.length > 0) {
    // Lazy: the engine asks `estimates` (an InputTokenCounter: an upper bound first, then the
    // count) and for the cost only for a route that passed its cheaper conditions.
    route = engine.evaluate(
      routingView(api, body),
      { tag: input.tag, prompt: input.prompt },
      estimates,
      () => {
        requestedCostUsd = estimates.costOn(models.get(requested));
        return requestedCostUsd;
      },
    );
  }
  const unrouted = {
    route: undefined,
    forced,
    candidates: [requested],
    estimates,
    requestedCostUsd,
  };
  const fits = (name: string, which?: string) =>
    assertFitsContextWindow(api, body, estimates, name, models.get(name), which);
  if (route === undefined) {
    fits(requested);
    return { ...unrouted, bypass: undefined };
  }

  const { target_model: targetName, fallbacks = [], max_cost_usd: ceiling } = route.then;
  const target = models.get(targetName);
  const needs = requestNeeds(body);
  const lacking = target && missingCapability(target, needs);
  if (lacking) {
    // Skipped (the reference's capability guard): the request goes to the requested model,
    // and the route's ceiling, which it matched, still holds there.
    const skipped = `${targetName} lacks ${lacking}`;
    fits(requested, `the requested model; route "${route.name}" was skipped: ${skipped}`);
    enforceCeiling(route, requested, models.get(requested), estimates, skipped);
    return { ...unrouted, bypass: `route "${route.name}": ${skipped}` };
  }

  fits(targetName, `the target of route "${route.name}"`);
  enforceCeiling(route, targetName, target, estimates);
  const usable: string[] = [];
  for (const name of fallbacks) {
    const model = models.get(name);
    if (
      model === undefined ||
      (missingCapability(model, needs) === undefined &&
        contextOverflow(model, estimates) === undefined &&
        (ceiling === undefined || costOver(model, estimates, ceiling) === undefined))
    )
      usable.push(name);
  }
  return {
    route,
    forced,
    candidates: [targetName, ...usable],
    bypass: undefined,
    estimates,
    requestedCostUsd,
  };
}

/** 402 when the estimate on `model` (named `name`) exceeds the route's `max_cost_usd`. */
function enforceCeiling(
  route: Route,
  name: string,
  model: PricedModel | undefined,
  estimates: Estimates,
  skipped?: string,
): void {
  const ceiling = route.then.max_cost_usd;
  if (ceiling === undefined) return;
  const cost = costOver(model, estimates, ceiling);
  if (cost !== undefined) throw costLimitExceeded(route, name, cost, ceiling, skipped);
}

/**
 * The estimate on `model` when it exceeds the ceiling, else `undefined`
 * (unknown pricing included). Within it at the token upper bound means within it: no tokenizing.
 */
function costOver(
  model: PricedModel | undefined,
  estimates: Estimates,
  ceiling: number,
): number | undefined {
  if ((estimates.costOn(model, "atMost") ?? 0) <= ceiling) return undefined;
  const cost = estimates.costOn(model);
  return cost !== undefined && cost > ceiling ? cost : undefined;
}

/**
 * {@link decideRoute} for a request whose prompt may be long: when a decision
 * needs a count too long to take synchronously, the prompt is counted off the
 * event loop (`withCount`) and the decision taken again. Synchronous (no
 * promise) whenever the count is not needed or the prompt is short. A prompt
 * of `LONG_PROMPT_CHARS` or more is routed apart from the turn that parsed
 * its body: its byte length (the token upper bound), the search of the
 * prompt for the routes' keywords (in steps, see `preparedApart`), each
 * evaluation of the routes and the dispatch that follows each start a new turn.
 */
export function decideRouteCounted(
  models: ReadonlyMap<string, ModelConfig>,
  input: RouteInput,
): RoutingDecision | Promise<RoutingDecision> {
  const estimates = input.estimates ?? new Estimates(input.api, input.body);
  const counted = { ...input, estimates };
  if (estimates.promptChars() >= LONG_PROMPT_CHARS) return decideApart(models, counted);
  return withCount(estimates, () => decideRoute(models, counted));
}

async function decideApart(
  models: ReadonlyMap<string, ModelConfig>,
  input: RouteInput & { readonly estimates: Estimates },
): Promise<RoutingDecision> {
  await fullTurn();
  input.estimates.inputTokensAtMost();
  await fullTurn();
  const { engine } = input;
  const prompt =
    engine === undefined || input.forcedName !== undefined || engine.routes.length === 0
      ? undefined
      : await preparedApart(engine, routingView(input.api, input.body));
  const prepared = { ...input, prompt };
  const decision = await withCount(input.estimates, () => decideRoute(models, prepared));
  await fullTurn();
  return decision;
}

function forcedRoute(engine: RoutingEngine | undefined, name: string): Route {
  if (engine === undefined) {
    throw new GatewayError(
      503,
      "api_error",
      "route_store_unavailable",
      "The route store is unavailable; forced routing is not possible right now.",
    );
  }
  const route = engine.findByName(name);
  if (route === undefined) {
    throw new GatewayError(
      400,
      "invalid_request_error",
      "unknown_route",
      `unknown route: ${name}`,
      {
        param: "x-switchyard-route",
      },
    );
  }
  return route;
}

function costLimitExceeded(
  route: Route,
  model: string,
  cost: number,
  ceiling: number,
  skipped?: string,
): GatewayError {
  const on = skipped
    ? `${model} (the requested model: the route was skipped because ${skipped}, and its ceiling still applies)`
    : model;
  return new GatewayError(
    402,
    "billing_error",
    "cost_limit_exceeded",
    `Estimated cost $${formatUsd(cost)} on ${on} exceeds the ceiling $${formatUsd(ceiling)} of route "${route.name}" (max_cost_usd); lower max_tokens or shorten the prompt.`,
  );
}
