import type { Route, RoutingEngine } from "@switchyard/core";
import type { ModelConfig } from "../config/types.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { ApiKind } from "./api-kind.js";
import { missingCapability, requestNeeds } from "./capability-guard.js";
import { Estimates } from "./estimates.js";
import type { JsonObject } from "./parse-json.js";
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
 * routing.md "Gateway use" steps 2-5: estimate, forced route, evaluation,
 * capability guard, rewrite and the `max_cost_usd` ceiling (402, nothing
 * dispatched). Throws GatewayError for an unknown forced route or the ceiling.
 */
export function decideRoute(
  models: ReadonlyMap<string, ModelConfig>,
  input: RouteInput,
): RoutingDecision {
  const { api, body, engine } = input;
  const requested = body.model as string;
  const estimates = new Estimates(api, body);
  let requestedCostUsd: number | undefined;
  let route: Route | undefined;
  const forced = input.forcedName !== undefined;
  if (input.forcedName !== undefined) {
    route = forcedRoute(engine, input.forcedName);
  } else if (engine !== undefined && engine.routes.length > 0) {
    // Lazy: the engine asks `estimates` (an InputTokenCounter: an upper bound first, then the
    // count) and for the cost only for a route that passed its cheaper conditions.
    // (An inline arrow: a named per-request closure costs a `__name` call under tsx.)
    route = engine.evaluate(routingView(api, body), { tag: input.tag }, estimates, () => {
      requestedCostUsd = estimates.costOn(models.get(requested));
      return requestedCostUsd;
    });
  }
  const unrouted = {
    route: undefined,
    forced,
    candidates: [requested],
    estimates,
    requestedCostUsd,
  };
  if (route === undefined) return { ...unrouted, bypass: undefined };

  const { target_model: targetName, fallbacks = [], max_cost_usd: ceiling } = route.then;
  const target = models.get(targetName);
  const needs = requestNeeds(body);
  const lacking = target && missingCapability(target, needs, estimates);
  if (lacking)
    return { ...unrouted, bypass: `route "${route.name}": ${targetName} lacks ${lacking}` };

  // Within the ceiling at the token upper bound means within it: no tokenizing.
  if (ceiling !== undefined && (estimates.costOn(target, "atMost") ?? 0) > ceiling) {
    const cost = estimates.costOn(target);
    if (cost !== undefined && cost > ceiling)
      throw costLimitExceeded(route, targetName, cost, ceiling);
  }
  const usable: string[] = [];
  for (const name of fallbacks) {
    const model = models.get(name);
    if (model === undefined || missingCapability(model, needs, estimates) === undefined)
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
): GatewayError {
  return new GatewayError(
    402,
    "billing_error",
    "cost_limit_exceeded",
    `Estimated cost $${cost.toFixed(6)} on ${model} exceeds the ceiling $${ceiling} of route "${route.name}" (max_cost_usd); lower max_tokens or shorten the prompt.`,
  );
}
