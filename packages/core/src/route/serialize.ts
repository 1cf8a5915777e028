import type { NewRoute, Route, RouteAction, RouteConditions } from "./types.js";

/*
 * Writes exactly the reference wire form: the four original condition fields
 * are always present (`[]`/`null` when empty), every other field is omitted
 * when empty, keys come in the reference order, `force_cache_layer` is never
 * written. The result is a plain object ready for JSON.stringify or a jsonb column.
 */

/*
 * The wire types describe what is written (the routes API's responses, the
 * store's jsonb columns): exactly what the functions below return. Reads
 * take `unknown` (parseRoute and friends), since stored or client JSON may
 * carry nulls, legacy keys or fields of a newer version.
 */

/**
 * Conditions as written: the four reference fields always present (`[]` or
 * `null` when unset), every other field only when set
 * (`prompt_contains_any_of` only when non-empty).
 */
export type WireConditions = RouteConditions;

/** The action as written: `fallbacks` only when non-empty, `disable_cache` only when `true`. */
export interface WireAction extends Omit<RouteAction, "disable_cache"> {
  disable_cache?: true;
}

/** A route as written before the store assigned its id (the body of a create). */
export interface WireNewRoute extends Omit<NewRoute, "when" | "then"> {
  when: WireConditions;
  then: WireAction;
}

/** A stored route as the routes API answers with it, keys in the reference order. */
export interface WireRoute extends WireNewRoute {
  id: string;
}

export function conditionsToWire(when: RouteConditions): WireConditions {
  const wire: WireConditions = {
    model_in: [...when.model_in],
    input_tokens_lt: when.input_tokens_lt ?? null,
    input_tokens_gt: when.input_tokens_gt ?? null,
    tag_equals: when.tag_equals ?? null,
  };
  if (when.has_images !== undefined) wire.has_images = when.has_images;
  if (when.has_audio !== undefined) wire.has_audio = when.has_audio;
  if (when.prompt_contains_any_of && when.prompt_contains_any_of.length > 0) {
    wire.prompt_contains_any_of = [...when.prompt_contains_any_of];
  }
  if (when.estimated_cost_gt !== undefined) wire.estimated_cost_gt = when.estimated_cost_gt;
  if (when.estimated_cost_lt !== undefined) wire.estimated_cost_lt = when.estimated_cost_lt;
  if (when.stream !== undefined) wire.stream = when.stream;
  if (when.has_tools !== undefined) wire.has_tools = when.has_tools;
  return wire;
}

export function actionToWire(then: RouteAction): WireAction {
  const wire: WireAction = { target_model: then.target_model };
  if (then.fallbacks && then.fallbacks.length > 0) wire.fallbacks = [...then.fallbacks];
  if (then.disable_cache === true) wire.disable_cache = true;
  if (then.max_cost_usd !== undefined) wire.max_cost_usd = then.max_cost_usd;
  return wire;
}

export function newRouteToWire(route: NewRoute): WireNewRoute {
  return {
    name: route.name,
    priority: route.priority,
    enabled: route.enabled,
    when: conditionsToWire(route.when),
    then: actionToWire(route.then),
  };
}

export function routeToWire(route: Route): WireRoute {
  return { id: route.id, ...newRouteToWire(route) };
}

/** `JSON.stringify` of the wire form. */
export function serializeRoute(route: Route): string {
  return JSON.stringify(routeToWire(route));
}
