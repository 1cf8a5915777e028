import type { ServerResponse } from "node:http";
import { failureToError } from "../errors/failure-to-error.js";
import { readBody } from "../http/read-body.js";
import type { Handler } from "../http/router.js";
import type { ApiKind } from "../pipeline/api-kind.js";
import { dispatch } from "../pipeline/dispatch-stage.js";
import { parseJsonObject } from "../pipeline/parse-json.js";
import type { RequestContext } from "../pipeline/request-context.js";
import { respond } from "../pipeline/respond-stage.js";
import { decideRoute, type RoutingDecision } from "../pipeline/route-stage.js";
import { validateBody } from "../pipeline/validate-body.js";
import type { GatewayServices } from "../services.js";
import { engineFor } from "../stores/route-store.js";
import type { RequestPlan } from "../upstream/payload.js";
import { UpstreamFailure } from "../upstream/upstream-failure.js";
import { header, requireOrg } from "./authenticate.js";

/**
 * `POST /v1/chat/completions` (openai) and `POST /v1/messages` (anthropic):
 * auth -> body (size limit) -> parse and validate -> routing -> dispatch
 * (retries, fallbacks, breaker) -> respond. The response cache and the
 * prefix-cache accounting slot in between routing and dispatch.
 */
export function completionHandler(services: GatewayServices, api: ApiKind): Handler {
  const { config, dispatch: deps, logger } = services;
  return async (req, res, ctx) => {
    ctx.api = api;
    const orgId = requireOrg(services, req, ctx);
    const raw = await readBody(req, config.server.bodyLimitBytes);
    const body = parseJsonObject(raw);
    validateBody(api, body);
    ctx.requestedModel = body.model as string;
    ctx.stream = body.stream === true;

    const engine = await engineFor(services.routes.store, orgId, logger);
    const decision = decideRoute(config.models, {
      api,
      body,
      engine,
      tag: header(req, "x-switchyard-tag"),
      forcedName: header(req, "x-switchyard-route"),
    });
    recordDecision(ctx, decision);
    // Stage slots for issue 8: response cache lookup (skipped by `disable_cache`), then
    // prefix-cache classification started here and awaited after dispatch.

    const plan: RequestPlan = {
      clientApi: api,
      body,
      raw,
      stream: ctx.stream,
      requestId: ctx.id,
      anthropicVersion: header(req, "anthropic-version"),
      anthropicBeta: header(req, "anthropic-beta"),
    };
    const signal = abortOnClientGone(res, ctx);
    let dispatched: Awaited<ReturnType<typeof dispatch>>;
    try {
      dispatched = await dispatch(deps, plan, decision.candidates, ctx, signal);
    } catch (error) {
      throw error instanceof UpstreamFailure ? failureToError(error) : error;
    }
    ctx.modelUsed = dispatched.model.name;
    await respond(res, ctx, dispatched);
  };
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

/** Aborts upstream work when the client disconnects before the response is complete. */
function abortOnClientGone(res: ServerResponse, ctx: RequestContext): AbortSignal {
  const controller = new AbortController();
  res.once("close", () => {
    if (res.writableFinished) return;
    ctx.clientAborted = true;
    controller.abort();
  });
  return controller.signal;
}
