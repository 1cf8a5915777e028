import { RoutingEngine, roundUsd, routeToWire } from "@switchyard/core";
import { fullTurn } from "@switchyard/prefix-index";
import { GatewayError } from "../errors/gateway-error.js";
import { forcedRouteName, header } from "../http/header-value.js";
import { readBody } from "../http/read-body.js";
import type { Handler } from "../http/router.js";
import { sendObject } from "../http/send.js";
import { Estimates } from "../pipeline/estimates.js";
import { LONG_PROMPT_CHARS, preparedApart } from "../pipeline/long-prompt.js";
import { parseJsonObject } from "../pipeline/parse-json.js";
import { decideRoute } from "../pipeline/route-stage.js";
import { routingView } from "../pipeline/routing-view.js";
import { validateBody } from "../pipeline/validate-body.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { GatewayServices } from "../services.js";
import { requireOrg } from "./authenticate.js";
import { guarded } from "./routes-handler.js";

/**
 * `POST /v1/routes/explain[?api=anthropic]`: a dry run. The body is a
 * completion request (OpenAI shape, or Anthropic with `?api=anthropic`),
 * headers as on a real request (`x-switchyard-tag`, `x-switchyard-route`).
 * Answers every route's verdict (disabled routes included, as skipped) and
 * what the gateway would do; nothing is dispatched.
 */
export function explainHandler(services: GatewayServices): Handler {
  const { config } = services;
  return (req, res, ctx) =>
    guarded(services.logger, ctx, async () => {
      const org = requireOrg(services, req, ctx);
      const api: ApiKind =
        new URL(req.url ?? "/", "http://x").searchParams.get("api") === "anthropic"
          ? "anthropic"
          : "openai";
      const body = parseJsonObject(await readBody(req, config.server.bodyLimitBytes));
      validateBody(api, body);
      const engine = await services.routes.store.engineFor(org);
      const input = {
        api,
        body,
        engine,
        tag: header(req, "x-switchyard-tag"),
        forcedName: forcedRouteName(header(req, "x-switchyard-route"), engine),
      };
      // Counted off the event loop (a long prompt is counted in slices); every step below reuses it.
      const estimates = new Estimates(api, body);
      const tokens = await estimates.count();
      const cost = estimates.costOn(config.models.get(body.model as string));
      let decision: Record<string, unknown>;
      // A long prompt: searched for keywords in steps, and the two evaluations below on turns of their own.
      const apart = estimates.promptChars() >= LONG_PROMPT_CHARS;
      const view = routingView(api, body);
      const prompt = apart && engine !== undefined ? await preparedApart(engine, view) : undefined;
      if (apart) await fullTurn();
      try {
        const d = decideRoute(config.models, { ...input, estimates, prompt });
        decision = {
          outcome: d.route ? (d.forced ? "forced" : "routed") : d.bypass ? "bypassed" : "unrouted",
          route: d.route?.name ?? null,
          candidates: d.candidates,
          bypass_reason: d.bypass ?? null,
        };
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        decision = {
          outcome: "rejected",
          status: error.status,
          code: error.code,
          message: error.message,
        };
      }
      // Every route, disabled ones included (their verdict says so); the
      // serving engine holds enabled routes only, and disabled ones never match.
      const everyRoute = new RoutingEngine(await services.routes.store.listAllForOrg(org));
      const everyPrompt = apart ? await preparedApart(everyRoute, view) : undefined;
      if (apart) await fullTurn();
      const explanation = everyRoute.explain(
        view,
        { tag: input.tag, prompt: everyPrompt },
        tokens,
        cost,
      );
      sendObject(res, 200, {
        decision,
        input_tokens: tokens,
        estimated_cost_usd: cost === undefined ? null : roundUsd(cost),
        route: explanation.route ? routeToWire(explanation.route) : null,
        verdicts: explanation.verdicts.map((v) => ({
          id: v.route.id,
          name: v.route.name,
          priority: v.route.priority,
          enabled: v.route.enabled,
          matched: v.matched,
          failed_condition: v.failedCondition ?? null,
          reason: v.reason,
        })),
      });
    });
}
