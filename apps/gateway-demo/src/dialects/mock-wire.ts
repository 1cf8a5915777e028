/**
 * What the mock upstream hands a dialect's mock side (`dialects/<kind>/mock.ts`):
 * the reply it decided on, and the stream frames a dialect builds from it.
 */

export interface MockToolCall {
  readonly id: string;
  readonly name: string;
  /** JSON text of the arguments. */
  readonly arguments: string;
}

export interface MockReply {
  readonly text: string;
  /** The text split into stream chunks (their concatenation is `text`). */
  readonly chunks: readonly string[];
  readonly toolCall: MockToolCall | undefined;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** A stream split where faults apply: `cut`/`stall` count `content` frames. */
export interface StreamFrames {
  readonly prelude: readonly string[];
  readonly content: readonly string[];
  readonly trailer: readonly string[];
}

/** What the mock provider read from and wrote to its own prompt cache for one request. */
export interface ProviderCacheUsage {
  readonly read: number;
  /** Written for 5 minutes (Anthropic's default TTL). */
  readonly write5m: number;
  /** Written for an hour (`cache_control: {type: "ephemeral", ttl: "1h"}`). */
  readonly write1h: number;
}

/** A mock reply with the provider's cache usage (only when the simulation is on). */
export type MockReplyWithCache = MockReply & { readonly cache?: ProviderCacheUsage };
