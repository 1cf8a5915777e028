import type { IncomingMessage } from "node:http";
import type { CachingRoutingStore } from "@switchyard/cache-l1";
import type { ModelConfig } from "../config/types.js";
import { forcedRouteName, header } from "../http/header-value.js";
import type { Logger } from "../log/logger.js";
import type { RequestContext } from "../protocol/request-context.js";
import { engineFor } from "../stores/route-store.js";
import type { ClientCompletion } from "./read-stage.js";
import { decideRouteCounted, type RoutingDecision } from "./route-stage.js";

/** What the route stage reads of the gateway. */
export interface RouteServices {
  readonly models: ReadonlyMap<string, ModelConfig>;
  readonly store: CachingRoutingStore;
  readonly logger: Logger;
}

/**
 * Route: the org's engine (L1; a failed store dispatches unrouted, logged),
 * the forced route or the engine's pick, guards and ceilings (route-stage),
 * the decision recorded for the request's log line.
 */
export async function routeCompletion(
  services: RouteServices,
  request: ClientCompletion,
  orgId: string,
  req: IncomingMessage,
  ctx: RequestContext,
): Promise<RoutingDecision> {
  const pending = engineFor(services.store, orgId, services.logger);
  const engine = pending instanceof Promise ? await pending : pending;
  const decided = decideRouteCounted(services.models, {
    api: request.api,
    body: request.body,
    engine,
    tag: header(req, "x-switchyard-tag"),
    forcedName: forcedRouteName(header(req, "x-switchyard-route"), engine),
  });
  const decision = decided instanceof Promise ? await decided : decided;
  recordDecision(ctx, decision);
  return decision;
}

function recordDecision(ctx: RequestContext, decision: RoutingDecision): void {
  if (decision.route) {
    ctx.routeId = decision.route.id;
    ctx.routeName = decision.route.name;
    ctx.forcedRoute = decision.forced;
  }
  if (decision.bypass !== undefined) ctx.routeBypass = decision.bypass;
  const tokens = decision.estimates.known;
  if (tokens !== undefined) ctx.inputTokens = tokens;
  if (decision.requestedCostUsd !== undefined) ctx.estimatedCostUsd = decision.requestedCostUsd;
}
