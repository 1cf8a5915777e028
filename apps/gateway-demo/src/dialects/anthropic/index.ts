import type { ApiKind } from "../../protocol/api-kind.js";
import type { JsonObject } from "../../protocol/json.js";
import { SsePassthrough } from "../../stream/sse-passthrough.js";
import type { StreamTransformer } from "../../stream/stream-transformer.js";
import {
  type ClientRequest,
  type Dialect,
  type DialectProvider,
  noTranslation,
  type StreamOptions,
  type TranslatedResponse,
} from "../dialect.js";
import { anthropicError, anthropicMessage, anthropicStreamFrames } from "./mock.js";
import { DEFAULT_ANTHROPIC_MAX_TOKENS, openaiToAnthropicRequest } from "./request-from-openai.js";
import { anthropicToOpenaiResponse } from "./response-to-openai.js";
import { AnthropicStreamEnd } from "./stream-end.js";
import { AnthropicToOpenaiStream } from "./stream-to-openai.js";

/** Anthropic's Messages wire format (`POST <base>/v1/messages`, `x-api-key`, `anthropic-version`). */
export const anthropicDialect: Dialect = {
  kind: "anthropic",

  chatPath: (basePath: string) => `${basePath}/v1/messages`,

  /** The client's own `anthropic-version` / `anthropic-beta` pass through when the client speaks Anthropic. */
  headers(provider: DialectProvider, client: ClientRequest): Record<string, string> {
    const headers: Record<string, string> = {};
    if (provider.apiKey !== undefined) headers["x-api-key"] = provider.apiKey;
    const own = client.clientApi === "anthropic";
    headers["anthropic-version"] =
      own && client.anthropicVersion ? client.anthropicVersion : provider.anthropicVersion;
    if (own && client.anthropicBeta) headers["anthropic-beta"] = client.anthropicBeta;
    return headers;
  },

  requestFrom(client: ApiKind, body: JsonObject): JsonObject {
    if (client === "openai") return openaiToAnthropicRequest(body);
    throw noTranslation("anthropic", client);
  },

  /** Anthropic requires `max_tokens`: an OpenAI request without a limit is sent with this one. */
  defaultMaxTokens: (client: ApiKind) =>
    client === "anthropic" ? undefined : DEFAULT_ANTHROPIC_MAX_TOKENS,

  responseTo(client: ApiKind, answer: JsonObject): TranslatedResponse {
    if (client === "openai") return anthropicToOpenaiResponse(answer);
    throw noTranslation("anthropic", client);
  },

  streamTo(client: ApiKind, options: StreamOptions): StreamTransformer {
    if (client === "anthropic") {
      return new SsePassthrough(new AnthropicStreamEnd(), options.maxEventBytes);
    }
    return new AnthropicToOpenaiStream(options.usageAsked, options.maxEventBytes);
  },

  /** A message has a `content` array (an empty one is accepted: Anthropic can answer so with `end_turn`). */
  answerProblem(answer: JsonObject): string | undefined {
    return Array.isArray(answer.content)
      ? undefined
      : "a 200 answer that is no message (no `content` array)";
  },

  mock: {
    path: "/v1/messages",
    basePath: "",
    replyId: (seq: number) => `msg_mock_${seq}`,
    completion: anthropicMessage,
    streamFrames: (reply, model, id) => anthropicStreamFrames(reply, model, id),
    error: anthropicError,
  },
};
