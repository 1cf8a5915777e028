import type { IncomingMessage } from "node:http";
import {
  type NewRoute,
  parseRoutePatch,
  type Route,
  RouteConflictError,
  type RoutePatch,
  RouteValidationError,
  RoutingStoreError,
  routeToWire,
  type ValidationIssue,
  validateNewRoute,
} from "@switchyard/core";
import { checkRouteModels } from "../catalog/route-models.js";
import { GatewayError, notFound } from "../errors/gateway-error.js";
import { readBody } from "../http/read-body.js";
import type { Handler } from "../http/router.js";
import { sendObject } from "../http/send.js";
import type { Logger } from "../log/logger.js";
import { parseJsonObject } from "../pipeline/parse-json.js";
import type { JsonObject } from "../protocol/json.js";
import type { RequestContext } from "../protocol/request-context.js";
import type { GatewayServices } from "../services.js";
import { requireOrg } from "./authenticate.js";

/**
 * The routes management API (docs/routing.md#management-api): the org always comes from
 * the API key, never from the body; another org's route id answers 404
 * exactly like a missing one; errors use the OpenAI envelope.
 */
export function routeHandlers(services: GatewayServices) {
  const { store } = services.routes;
  const models = services.config.models;
  const readJson = async (req: IncomingMessage): Promise<JsonObject> =>
    parseJsonObject(await readBody(req, services.config.server.bodyLimitBytes));
  const missing = (id: string | undefined) =>
    notFound(`No route with id ${id ?? "(none)"}.`, "route_not_found");

  const list: Handler = (req, res, ctx) =>
    guarded(services.logger, ctx, async () => {
      const routes = await store.listAllForOrg(requireOrg(services, req, ctx));
      sendObject(res, 200, { object: "list", data: routes.map(routeToWire) });
    });

  const create: Handler = (req, res, ctx) =>
    guarded(services.logger, ctx, async () => {
      const org = requireOrg(services, req, ctx);
      const result = validateNewRoute(await readJson(req), models);
      if (!result.ok) throw invalidRoute(result.issues);
      rejectUnknownModels(result.value);
      const route = await store.createRoute(org, result.value);
      ctx.routeId = route.id;
      sendObject(res, 201, routeToWire(route));
    });

  const get: Handler = (req, res, ctx, id) =>
    guarded(services.logger, ctx, async () => {
      const route =
        id === undefined ? undefined : await store.getRoute(requireOrg(services, req, ctx), id);
      if (!route) throw missing(id);
      sendObject(res, 200, routeToWire(route));
    });

  // The patch is decoded here; every rule then runs on the route as the store is about to
  // write it, inside its atomic section (a row lock on Postgres), so a concurrent PATCH on
  // any replica is checked against what this one wrote, never against a route read before.
  const patch: Handler = (req, res, ctx, id) =>
    guarded(services.logger, ctx, async () => {
      const org = requireOrg(services, req, ctx);
      if (id === undefined) throw missing(id);
      const changes = decodePatch(await readJson(req));
      const updated = await store.updateRoute(org, id, changes, { validate: checkRoute });
      if (!updated) throw missing(id);
      ctx.routeId = updated.id;
      sendObject(res, 200, routeToWire(updated));
    });

  const remove: Handler = (req, res, ctx, id) =>
    guarded(services.logger, ctx, async () => {
      const removed =
        id !== undefined && (await store.deleteRoute(requireOrg(services, req, ctx), id));
      if (!removed) throw missing(id);
      sendObject(res, 200, { ok: true, id });
    });

  function rejectUnknownModels(route: NewRoute): void {
    const issues = checkRouteModels(route, models);
    if (issues.length > 0) throw invalidRoute(issues);
  }

  /** Every rule of a new route, on the route as it would be stored after a PATCH. */
  function checkRoute(next: Route): void {
    const { id: _id, ...route } = next;
    const result = validateNewRoute(route, models);
    if (!result.ok) throw invalidRoute(result.issues);
    rejectUnknownModels(result.value);
  }

  return { list, create, get, patch, remove };
}

/** The PATCH body as a patch (types and unknown keys checked); 400 naming every bad field. */
function decodePatch(input: JsonObject): RoutePatch {
  try {
    return parseRoutePatch(input);
  } catch (error) {
    if (error instanceof RouteValidationError) throw invalidRoute(error.issues);
    throw error;
  }
}

/** 400 naming every bad field; `param` is the first one. */
function invalidRoute(issues: readonly ValidationIssue[]): GatewayError {
  const lines = issues.map((issue) => `${issue.path || "(body)"}: ${issue.message}`);
  return new GatewayError(
    400,
    "invalid_request_error",
    "invalid_route",
    `Invalid route: ${lines.join("; ")}`,
    {
      param: issues[0]?.path || null,
    },
  );
}

/**
 * A taken route name becomes 409 naming the org's route that has it;
 * route-store backend failures become 503 (the store is unavailable), never a bare 500.
 * The 503 says nothing of the failure (a driver's message can carry SQL); the
 * detail goes to the log with the request id.
 */
export async function guarded(
  logger: Logger,
  ctx: RequestContext,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof RouteConflictError) {
      throw new GatewayError(
        409,
        "invalid_request_error",
        "route_name_conflict",
        `A route named ${JSON.stringify(error.routeName)} already exists in this org (id ${error.existingRouteId}); route names are unique within an org. Choose another name, or change or delete that route.`,
        { param: "name", cause: error },
      );
    }
    if (error instanceof RoutingStoreError) {
      logger.error({ err: error, req_id: ctx.id }, "route store failed");
      throw new GatewayError(
        503,
        "api_error",
        "route_store_unavailable",
        "The route store is unavailable; try again.",
        { cause: error },
      );
    }
    throw error;
  }
}
