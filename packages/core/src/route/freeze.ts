import type { Route, RouteAction, RouteConditions } from "./types.js";

/*
 * Routes leave stores, caches and the engine deep-frozen: the route, `when`,
 * `then` and their arrays. A route is frozen once, where it enters (a store's
 * write or decode, the engine's construction), so handing it out costs
 * nothing per request and no reader can change what the next one gets.
 * Every field is a primitive except the three arrays (cheaper than structuredClone).
 */

function copyConditions(when: RouteConditions): RouteConditions {
  const copy = { ...when, model_in: [...when.model_in] };
  if (when.prompt_contains_any_of) copy.prompt_contains_any_of = [...when.prompt_contains_any_of];
  return copy;
}

function copyAction(then: RouteAction): RouteAction {
  const copy = { ...then };
  if (then.fallbacks) copy.fallbacks = [...then.fallbacks];
  return copy;
}

/** Freezes the route in place, deeply, and returns it. Use on a route no one else holds. */
export function freezeRoute(route: Route): Route {
  const { when, then } = route;
  Object.freeze(when.model_in);
  if (when.prompt_contains_any_of) Object.freeze(when.prompt_contains_any_of);
  if (then.fallbacks) Object.freeze(then.fallbacks);
  Object.freeze(when);
  Object.freeze(then);
  return Object.freeze(route);
}

function isDeepFrozen(route: Route): boolean {
  const { when, then } = route;
  return (
    Object.isFrozen(route) &&
    Object.isFrozen(when) &&
    Object.isFrozen(then) &&
    Object.isFrozen(when.model_in) &&
    (when.prompt_contains_any_of === undefined || Object.isFrozen(when.prompt_contains_any_of)) &&
    (then.fallbacks === undefined || Object.isFrozen(then.fallbacks))
  );
}

/**
 * The route itself when it is already deep-frozen, else a deep-frozen copy
 * (the caller's object is left as it was). Copies only the route's own six
 * fields.
 */
export function frozenRoute(route: Route): Route {
  if (isDeepFrozen(route)) return route;
  return freezeRoute({
    id: route.id,
    name: route.name,
    priority: route.priority,
    enabled: route.enabled,
    when: copyConditions(route.when),
    then: copyAction(route.then),
  });
}
