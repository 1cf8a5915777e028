import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";
import type { StreamTransformer } from "../stream/stream-transformer.js";
import type { MockReplyWithCache, StreamFrames } from "./mock-wire.js";
import type { Usage } from "./stop-reasons.js";

/**
 * Everything one wire format needs, in one folder per dialect
 * (`dialects/<kind>/index.ts`), selected by a provider's `kind` from the
 * table in `dialects/index.ts`. Handlers, stages and the upstream client
 * never branch on a provider's kind: they ask its dialect. Adding a
 * provider's wire format means a new folder implementing this interface, a
 * row in that table and a config `kind` (README, "Architecture").
 *
 * The client side speaks one of the client APIs (`ApiKind`: OpenAI chat
 * completions or Anthropic messages); a dialect translates from and to each
 * client API it is not itself.
 */
export interface Dialect {
  readonly kind: ApiKind;
  /** Path of the chat endpoint under a provider's base URL path (no trailing slash). */
  chatPath(basePath: string): string;
  /** Authentication and version headers of one upstream request. */
  headers(provider: DialectProvider, client: ClientRequest): Record<string, string>;
  /**
   * A client's request body in this dialect, the model left to the caller.
   * Throws a 400 `GatewayError` naming what cannot be translated.
   */
  requestFrom(client: ApiKind, body: JsonObject): JsonObject;
  /**
   * The output limit this dialect's request carries when a `client` request
   * sets none (a translation may have to send one), or `undefined` when it
   * sends none. Cost estimates price the output on it.
   */
  defaultMaxTokens(client: ApiKind): number | undefined;
  /** One of this dialect's non-streamed answers in a client's API (parsed, not serialized). */
  responseTo(client: ApiKind, answer: JsonObject): TranslatedResponse;
  /** The transformer of this dialect's stream for a client: a checked passthrough for its own API. */
  streamTo(client: ApiKind, options: StreamOptions): StreamTransformer;
  /** Why a parsed 2xx answer is no completion of this dialect, or `undefined` when it is one. */
  answerProblem(answer: JsonObject): string | undefined;
  /** The embedded mock upstream's side of this dialect. */
  readonly mock: MockDialect;
}

/** What a dialect reads of a provider's configuration. */
export interface DialectProvider {
  readonly apiKey: string | undefined;
  /** Anthropic: the `anthropic-version` sent when the client sent none. */
  readonly anthropicVersion: string;
}

/** What a dialect reads of the client's request besides its body. */
export interface ClientRequest {
  readonly clientApi: ApiKind;
  /** The client's `anthropic-version` / `anthropic-beta` headers. */
  readonly anthropicVersion: string | undefined;
  readonly anthropicBeta: string | undefined;
}

export interface StreamOptions {
  /** OpenAI clients: `stream_options.include_usage`. */
  readonly usageAsked: boolean;
  /** `upstream.max_sse_event_bytes`. */
  readonly maxEventBytes: number;
}

export interface TranslatedResponse {
  /** The response in the client's API (serialized by the caller, after usage accounting). */
  readonly value: JsonObject;
  readonly usage: Usage;
}

/** The mock upstream's side of a dialect: where it listens and what it answers. */
export interface MockDialect {
  /** The chat endpoint's path on the mock server. */
  readonly path: string;
  /** What the mock's base URL for this dialect ends with after its origin (`/v1` for OpenAI). */
  readonly basePath: string;
  /** A reply id for the mock's `seq`-th answer. */
  replyId(seq: number): string;
  completion(reply: MockReplyWithCache, model: string, id: string): string;
  streamFrames(
    reply: MockReplyWithCache,
    model: string,
    id: string,
    includeUsage: boolean,
  ): StreamFrames;
  error(status: number, message: string): string;
}

/** A client API this dialect cannot translate from or to (no such pair exists yet). */
export function noTranslation(dialect: ApiKind, client: ApiKind): Error {
  return new Error(`dialect ${dialect} has no translation for ${client} clients`);
}
