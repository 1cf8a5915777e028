import { header } from "../http/header-value.js";
import type { Handler } from "../http/router.js";
import type { AnswerDeps } from "../pipeline/answer-stage.js";
import {
  cancelOnClientGone,
  dispatchAccounted,
  dispatchAnswer,
  type Exchange,
  requestPlan,
} from "../pipeline/exchange.js";
import { preparePromptCache } from "../pipeline/prompt-cache-stage.js";
import { readCompletion } from "../pipeline/read-stage.js";
import { sendAnswer } from "../pipeline/reply.js";
import {
  bypassCache,
  cachedAnswer,
  cachePolicy,
  replayStored,
} from "../pipeline/response-cache-stage.js";
import { routeCompletion } from "../pipeline/route-request.js";
import { streamResponse } from "../pipeline/stream-stage.js";
import { ProviderBilling } from "../prompt-cache/provider-billing.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { GatewayServices } from "../services.js";
import { requireOrg } from "./authenticate.js";

/**
 * `POST /v1/chat/completions` (openai) and `POST /v1/messages` (anthropic):
 * the gateway's request path as a list of stages (docs/request-path.md).
 * Each stage takes what it needs and returns what it produced; what a
 * request learns for its log line, metrics and the dashboard goes to its
 * context, which the finish hook reads once the response is closed.
 *
 * authenticate -> read and validate -> prompt-cache prepare -> route ->
 * response cache (replay, or one coalesced load) -> dispatch (retries,
 * breaker, fallbacks) -> respond (stream or answer) -> account (the
 * prompt-cache commit after the response).
 */
export function completionHandler(services: GatewayServices, api: ApiKind): Handler {
  const { config, promptCache } = services;
  const routing = { models: config.models, store: services.routes.store, logger: services.logger };
  const answerDeps: AnswerDeps = {
    pricing: services.pricing,
    maxStoredBytes: config.responseCache.maxBodyBytes,
    providerBilling: new ProviderBilling(config.models, services.pricing, promptCache),
  };
  return async (req, res, ctx) => {
    ctx.api = api;
    const orgId = requireOrg(services, req, ctx);
    const request = await readCompletion(api, req, config.server.bodyLimitBytes, ctx);
    const prepared = preparePromptCache(promptCache, request);
    const decision = await routeCompletion(routing, request, orgId, req, ctx);

    const clientHeaders = {
      anthropicVersion: header(req, "anthropic-version"),
      anthropicBeta: header(req, "anthropic-beta"),
    };
    const x: Exchange = {
      services,
      request,
      plan: requestPlan(request, prepared, clientHeaders, ctx),
      decision,
      ctx,
      prepared,
      orgId,
      answerDeps,
    };
    const cancel = cancelOnClientGone(res, ctx);
    const policy = cachePolicy({
      config: config.responseCache,
      models: config.models,
      orgId,
      api,
      body: request.body,
      decision,
      cacheControl: header(req, "cache-control"),
      ...clientHeaders,
    });
    if (policy.key === undefined) bypassCache(x, policy.bypass);

    if (request.stream) {
      if (policy.key !== undefined && replayStored(x, policy.key, res)) return;
      const { dispatched, accounting } = await dispatchAccounted(x, cancel);
      const { pricing, providerBilling } = answerDeps;
      return streamResponse(res, ctx, dispatched, accounting, pricing, providerBilling);
    }
    const answer =
      policy.key === undefined
        ? await dispatchAnswer(x, cancel, false)
        : await cachedAnswer(x, policy.key, cancel);
    sendAnswer(res, ctx, answer);
  };
}
