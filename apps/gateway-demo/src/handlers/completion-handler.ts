import type { ServerResponse } from "node:http";
import type { Classification, PreparedRequest } from "@switchyard/prefix-index";
import { CancelToken } from "../cancel/cancel-token.js";
import { forcedRouteName } from "../http/header-value.js";
import { readBody } from "../http/read-body.js";
import type { Handler } from "../http/router.js";
import { type Dispatched, dispatch } from "../pipeline/dispatch-stage.js";
import { parseJsonObject } from "../pipeline/parse-json.js";
import {
  type AnswerDeps,
  type BuiltAnswer,
  buildAnswer,
  type PromptAccounting,
  sendAnswer,
  sendReplay,
  streamResponse,
} from "../pipeline/respond-stage.js";
import { cachePolicy } from "../pipeline/response-cache-stage.js";
import { decideRouteCounted, type RoutingDecision } from "../pipeline/route-stage.js";
import { validateBody } from "../pipeline/validate-body.js";
import { ProviderBilling } from "../prompt-cache/provider-billing.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";
import type { RequestContext } from "../protocol/request-context.js";
import type { GatewayServices } from "../services.js";
import { engineFor } from "../stores/route-store.js";
import { failureToError } from "../upstream/failure-to-error.js";
import type { RequestPlan } from "../upstream/payload.js";
import { UpstreamFailure } from "../upstream/upstream-failure.js";
import { header, requireOrg } from "./authenticate.js";

/**
 * `POST /v1/chat/completions` (openai) and `POST /v1/messages` (anthropic),
 * gateway.md's request path: auth -> body (size limit) -> parse and validate
 * (schema, cache markers) -> routing -> response cache (exact, tenant-scoped,
 * deterministic requests only, identical concurrent requests coalesced) ->
 * prompt-cache classification alongside the upstream call -> dispatch
 * (retries, fallbacks, breaker) -> usage injection and pricing -> respond ->
 * post-response commit of the prefix-cache writes.
 */
export function completionHandler(services: GatewayServices, api: ApiKind): Handler {
  const { config, logger, promptCache, responseCache } = services;
  const answerDeps: AnswerDeps = {
    pricing: services.pricing,
    maxStoredBytes: config.responseCache.maxBodyBytes,
    providerBilling: new ProviderBilling(config.models, services.pricing, promptCache),
  };
  return async (req, res, ctx) => {
    ctx.api = api;
    const orgId = requireOrg(services, req, ctx);
    const raw = await readBody(req, config.server.bodyLimitBytes);
    const body = parseJsonObject(raw);
    validateBody(api, body);
    const virtualModel = body.model as string;
    ctx.requestedModel = virtualModel;
    ctx.stream = body.stream === true;
    // Cache markers: validated (400) and stripped for models with a cache tariff.
    const prepared = promptCache.accounts(virtualModel)
      ? promptCache.prepare(api, body, mayHaveMarkers(raw))
      : undefined;

    const engine = await engineFor(services.routes.store, orgId, logger);
    const decided = decideRouteCounted(config.models, {
      api,
      body,
      engine,
      tag: header(req, "x-switchyard-tag"),
      forcedName: forcedRouteName(header(req, "x-switchyard-route"), engine),
    });
    const decision = decided instanceof Promise ? await decided : decided;
    recordDecision(ctx, decision);

    const anthropicVersion = header(req, "anthropic-version");
    const anthropicBeta = header(req, "anthropic-beta");
    const forward = prepared ? prepared.forwardBody : body;
    const plan: RequestPlan = {
      clientApi: api,
      body: forward,
      raw:
        prepared && forwardChanged(api, body, prepared)
          ? Buffer.from(JSON.stringify(forward))
          : raw,
      stream: ctx.stream,
      requestId: ctx.id,
      anthropicVersion,
      anthropicBeta,
    };
    const cancel = cancelOnClientGone(res, ctx);
    const exchange: Exchange = {
      services,
      api,
      plan,
      decision,
      ctx,
      prepared,
      orgId,
      virtualModel,
      answerDeps,
    };

    const policy = cachePolicy({
      config: config.responseCache,
      models: config.models,
      orgId,
      api,
      body,
      decision,
      cacheControl: header(req, "cache-control"),
      anthropicVersion,
      anthropicBeta,
    });
    if (policy.key === undefined) {
      ctx.responseCache = "bypass";
      ctx.cacheBypass = policy.bypass;
      responseCache.counters.bypasses++;
    } else if (ctx.stream) {
      // A stream never waits for a load: a stored answer is replayed, else it streams from upstream.
      const stored = responseCache.peek(policy.key);
      if (stored !== undefined) {
        responseCache.counters.hits++;
        ctx.responseCache = "hit";
        ctx.modelUsed = stored.modelUsed;
        ctx.costUsd = 0;
        ctx.responseCacheSavedUsd = stored.costUsd;
        const options = forward.stream_options as { include_usage?: unknown } | undefined;
        return sendReplay(res, ctx, stored, options?.include_usage === true);
      }
      responseCache.counters.misses++;
      ctx.responseCache = "miss";
    } else {
      const waited = process.hrtime.bigint();
      const { answer, role } = await responseCache.get(
        policy.key,
        (loadSignal) => loadAnswer(exchange, loadSignal),
        cancel.signal,
      );
      ctx.responseCache = role;
      if (role !== "miss") {
        // Served by the cache layer: no upstream call of its own, nothing billed.
        ctx.upstreamNs += Number(process.hrtime.bigint() - waited);
        ctx.modelUsed = answer.modelUsed;
        ctx.costUsd = 0;
        ctx.responseCacheSavedUsd = answer.costUsd;
      }
      return sendAnswer(res, ctx, answer);
    }

    const accounting = startAccounting(exchange);
    let dispatched: Dispatched;
    try {
      // Inline rather than sendAccounted(): one async frame less on the hot path.
      dispatched = await dispatch(services.dispatch, plan, decision.candidates, ctx, cancel);
    } catch (error) {
      throw dispatchFailed(accounting, error);
    }
    ctx.modelUsed = dispatched.model.name;
    if (ctx.stream) {
      const { pricing, providerBilling } = answerDeps;
      return streamResponse(res, ctx, dispatched, accounting, pricing, providerBilling);
    }
    const classification = accounting && (await accounting.classification);
    sendAnswer(res, ctx, answerOf(exchange, dispatched, accounting, classification, false));
  };
}

const CACHE_CONTROL = Buffer.from('"cache_control"');
const UNICODE_ESCAPE = Buffer.from("\\u");

/**
 * Whether the raw body may contain a `cache_control` key: it names it, or it
 * has `\u` escapes (a key could be spelled with them). Otherwise the
 * prompt-cache stage skips parsing the body into blocks.
 */
function mayHaveMarkers(raw: Buffer): boolean {
  return raw.indexOf(CACHE_CONTROL) !== -1 || raw.indexOf(UNICODE_ESCAPE) !== -1;
}

/**
 * One request's state for the stages after routing. Plain module functions
 * take it (no closures per request: under tsx every named closure costs a
 * `__name` call).
 */
interface Exchange {
  readonly services: GatewayServices;
  readonly api: ApiKind;
  readonly plan: RequestPlan;
  readonly decision: RoutingDecision;
  readonly ctx: RequestContext;
  readonly prepared: PreparedRequest<JsonObject> | undefined;
  readonly orgId: string;
  readonly virtualModel: string;
  readonly answerDeps: AnswerDeps;
}

/** Starts the prompt-cache classification (models with a tariff); it runs alongside the upstream call. */
function startAccounting(x: Exchange): PromptAccounting | undefined {
  if (x.prepared === undefined) return undefined;
  const service = x.services.promptCache;
  return { service, classification: service.classify(x.prepared, x.orgId, x.virtualModel) };
}

/** Dispatch while the classification runs; a failure commits nothing. */
async function sendAccounted(
  x: Exchange,
  signal: CancelToken,
  accounting: PromptAccounting | undefined,
): Promise<Dispatched> {
  try {
    const dispatched = await dispatch(
      x.services.dispatch,
      x.plan,
      x.decision.candidates,
      x.ctx,
      signal,
    );
    x.ctx.modelUsed = dispatched.model.name;
    return dispatched;
  } catch (error) {
    throw dispatchFailed(accounting, error);
  }
}

/** A failed dispatch: nothing is committed (counted), the failure becomes the client's error. */
function dispatchFailed(accounting: PromptAccounting | undefined, error: unknown): unknown {
  if (accounting) skipCommit(accounting, error);
  return error instanceof UpstreamFailure ? failureToError(error) : error;
}

/** The response cache's load: one upstream call for every identical request waiting on it. */
async function loadAnswer(x: Exchange, signal: AbortSignal): Promise<BuiltAnswer> {
  const accounting = startAccounting(x);
  const dispatched = await sendAccounted(x, CancelToken.follow(signal), accounting);
  const classification = accounting && (await accounting.classification);
  return answerOf(x, dispatched, accounting, classification, true);
}

function answerOf(
  x: Exchange,
  dispatched: Dispatched,
  accounting: PromptAccounting | undefined,
  classification: Classification | undefined,
  forCache: boolean,
): BuiltAnswer {
  const { ctx } = x;
  const answer = buildAnswer(
    x.api,
    dispatched,
    accounting,
    classification,
    x.answerDeps,
    ctx,
    forCache,
  );
  ctx.modelUsed = answer.modelUsed;
  if (answer.usage) ctx.usage = answer.usage;
  if (answer.costUsd !== undefined) ctx.costUsd = answer.costUsd;
  return answer;
}

/** A failed request commits nothing; the package counts it (`skipped-failed-response`). */
function skipCommit(accounting: PromptAccounting, error: unknown): void {
  const status = (error as { status?: unknown }).status;
  void accounting.classification.then((classification) =>
    accounting.service.commit(classification, {
      status: typeof status === "number" ? status : 502,
      usageSeen: false,
    }),
  );
}

/**
 * Whether the prepared body differs from what the client sent, so the raw
 * bytes cannot be forwarded: markers were stripped, or an OpenAI stream got
 * `stream_options.include_usage` forced on.
 */
function forwardChanged(api: ApiKind, body: JsonObject, prepared: PreparedRequest): boolean {
  if (body.cache_control !== undefined) return true;
  if (prepared.blocks.some((block) => block.hasMarker)) return true;
  if (api !== "openai" || body.stream !== true) return false;
  const options = body.stream_options as { include_usage?: unknown } | undefined;
  return options?.include_usage !== true;
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

/** Cancels upstream work when the client disconnects before the response is complete. */
function cancelOnClientGone(res: ServerResponse, ctx: RequestContext): CancelToken {
  const token = new CancelToken();
  res.once("close", () => {
    if (res.writableFinished) return;
    ctx.clientAborted = true;
    token.cancel();
  });
  return token;
}
