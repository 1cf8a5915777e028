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
import { openaiCompletion, openaiError, openaiStreamFrames } from "./mock.js";
import { anthropicToOpenaiRequest } from "./request-from-anthropic.js";
import { openaiToAnthropicResponse } from "./response-to-anthropic.js";
import { OpenaiStreamEnd } from "./stream-end.js";
import { OpenaiToAnthropicStream } from "./stream-to-anthropic.js";

/**
 * OpenAI's Chat Completions wire format (`POST <base>/chat/completions`,
 * bearer key), spoken by OpenAI and every OpenAI-compatible server.
 */
export const openaiDialect: Dialect = {
  kind: "openai",

  chatPath: (basePath: string) => `${basePath}/chat/completions`,

  headers(provider: DialectProvider, _client: ClientRequest): Record<string, string> {
    return provider.apiKey === undefined ? {} : { authorization: `Bearer ${provider.apiKey}` };
  },

  requestFrom(client: ApiKind, body: JsonObject): JsonObject {
    if (client === "anthropic") return anthropicToOpenaiRequest(body);
    throw noTranslation("openai", client);
  },

  defaultMaxTokens: () => undefined,

  responseTo(client: ApiKind, answer: JsonObject): TranslatedResponse {
    if (client === "anthropic") return openaiToAnthropicResponse(answer);
    throw noTranslation("openai", client);
  },

  streamTo(client: ApiKind, options: StreamOptions): StreamTransformer {
    if (client === "openai") {
      return new SsePassthrough(new OpenaiStreamEnd(options.usageAsked), options.maxEventBytes);
    }
    return new OpenaiToAnthropicStream(options.maxEventBytes);
  },

  /** A chat completion has `choices`, a non-empty array of objects (no walk of the content). */
  answerProblem(answer: JsonObject): string | undefined {
    const { choices } = answer;
    if (!Array.isArray(choices) || choices.length === 0) {
      return "a 200 answer that is no chat completion (no `choices`)";
    }
    for (const choice of choices) {
      if (typeof choice !== "object" || choice === null || Array.isArray(choice)) {
        return "a 200 answer that is no chat completion (a choice that is not an object)";
      }
    }
    return undefined;
  },

  mock: {
    path: "/v1/chat/completions",
    basePath: "/v1",
    replyId: (seq: number) => `chatcmpl-mock-${seq}`,
    completion: openaiCompletion,
    streamFrames: openaiStreamFrames,
    error: openaiError,
  },
};
