import type { ServerResponse } from "node:http";
import type { Classification, PreparedRequest } from "@switchyard/prefix-index";
import { CancelToken } from "../cancel/cancel-token.js";
import type { PromptCacheService } from "../prompt-cache/prompt-cache-service.js";
import type { JsonObject } from "../protocol/json.js";
import type { RequestContext } from "../protocol/request-context.js";
import type { ResponseCache } from "../response-cache/response-cache.js";
import { failureToError } from "../upstream/failure-to-error.js";
import type { RequestPlan } from "../upstream/payload.js";
import { UpstreamFailure } from "../upstream/upstream-failure.js";
import {
  type AnswerDeps,
  type BuiltAnswer,
  buildAnswer,
  type PromptAccounting,
} from "./answer-stage.js";
import { type DispatchDeps, type Dispatched, dispatch } from "./dispatch-stage.js";
import { forwardChanged, skipCommit, startAccounting } from "./prompt-cache-stage.js";
import type { ClientCompletion } from "./read-stage.js";
import type { RoutingDecision } from "./route-stage.js";

/** The shared services the stages after routing use (a part of the gateway's services). */
export interface ExchangeServices {
  readonly promptCache: PromptCacheService;
  readonly dispatch: DispatchDeps;
  readonly responseCache: ResponseCache<BuiltAnswer>;
}

/**
 * One request's state for the stages after routing (dispatch, respond,
 * account). Plain module functions take it: nothing is allocated per
 * request beyond this record.
 */
export interface Exchange {
  readonly services: ExchangeServices;
  readonly request: ClientCompletion;
  readonly plan: RequestPlan;
  readonly decision: RoutingDecision;
  readonly ctx: RequestContext;
  readonly prepared: PreparedRequest<JsonObject> | undefined;
  readonly orgId: string;
  readonly answerDeps: AnswerDeps;
}

/** Dispatch with the prompt-cache classification running alongside; a failure commits nothing. */
export async function dispatchAccounted(
  x: Exchange,
  signal: CancelToken,
): Promise<{ dispatched: Dispatched; accounting: PromptAccounting | undefined }> {
  const { services, prepared, orgId, request } = x;
  const accounting = startAccounting(services.promptCache, prepared, orgId, request.model);
  try {
    const dispatched = await dispatch(
      services.dispatch,
      x.plan,
      x.decision.candidates,
      x.ctx,
      signal,
    );
    x.ctx.modelUsed = dispatched.model.name;
    return { dispatched, accounting };
  } catch (error) {
    if (accounting) skipCommit(accounting, error);
    throw error instanceof UpstreamFailure ? failureToError(error) : error;
  }
}

/** Dispatch, then the answer in the client's API, accounted and priced (non-streamed requests). */
export async function dispatchAnswer(
  x: Exchange,
  signal: CancelToken,
  forCache: boolean,
): Promise<BuiltAnswer> {
  const { dispatched, accounting } = await dispatchAccounted(x, signal);
  const classification = accounting && (await accounting.classification);
  return answerOf(x, dispatched, accounting, classification, forCache);
}

/** The response cache's load: one upstream call for every identical request waiting on it. */
export function loadAnswer(x: Exchange, signal: AbortSignal): Promise<BuiltAnswer> {
  return dispatchAnswer(x, CancelToken.follow(signal), true);
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
    x.request.api,
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

/** Cancels upstream work when the client disconnects before the response is complete. */
export function cancelOnClientGone(res: ServerResponse, ctx: RequestContext): CancelToken {
  const token = new CancelToken();
  res.once("close", () => {
    if (res.writableFinished) return;
    ctx.clientAborted = true;
    token.cancel();
  });
  return token;
}

/** The headers of the client request that matter upstream and to the response cache. */
export interface ClientHeaders {
  readonly anthropicVersion: string | undefined;
  readonly anthropicBeta: string | undefined;
}

/** What dispatch sends: the prepared body (markers stripped) or the client's bytes when unchanged. */
export function requestPlan(
  request: ClientCompletion,
  prepared: PreparedRequest<JsonObject> | undefined,
  headers: ClientHeaders,
  ctx: RequestContext,
): RequestPlan {
  const forward = prepared ? prepared.forwardBody : request.body;
  const changed = prepared !== undefined && forwardChanged(request.api, request.body, prepared);
  return {
    clientApi: request.api,
    body: forward,
    raw: changed ? Buffer.from(JSON.stringify(forward)) : request.raw,
    stream: request.stream,
    requestId: ctx.id,
    anthropicVersion: headers.anthropicVersion,
    anthropicBeta: headers.anthropicBeta,
  };
}
