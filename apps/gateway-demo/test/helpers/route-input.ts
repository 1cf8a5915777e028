import { type Route, RoutingEngine } from "@switchyard/core";
import type { RouteInput } from "../../src/pipeline/route-stage.js";

/** What the route stage gets for an OpenAI request over `routes`, no tag. */
export function routeInput(
  routes: readonly Route[],
  body: Record<string, unknown>,
  forcedName?: string,
): RouteInput {
  return {
    api: "openai",
    body,
    engine: new RoutingEngine([...routes]),
    tag: undefined,
    forcedName,
  };
}
