import { createHash } from "node:crypto";
import type { MockReply, MockReplyWithCache, ProviderCacheUsage } from "../dialects/mock-wire.js";
import { countTextTokens } from "../pipeline/token-estimate.js";
import type { ApiKind } from "../protocol/api-kind.js";
import { isRecord, type JsonObject } from "../protocol/json.js";

/** The directive in an upstream model name (`name~provider_cache`) that turns the simulation on. */
const PROVIDER_CACHE_DIRECTIVE = "provider_cache";

/** Anthropic's smallest cacheable prefix (Claude Sonnet and Opus) and OpenAI's caching threshold. */
const MIN_CACHEABLE_TOKENS = 1024;
/** OpenAI reports cached tokens in 128-token steps past the first 1,024. */
const OPENAI_STEP = 128;
const FIVE_MINUTES = 300_000;
const ONE_HOUR = 3_600_000;

/** One part of a prompt in the provider's prefix order, with its breakpoint if it has one. */
interface Piece {
  readonly text: string;
  readonly ttlMs: number | undefined;
}

/**
 * A provider-side prompt cache that reports usage as the real APIs do, for
 * models whose upstream name carries `~provider_cache`:
 *
 * - Anthropic: explicit `cache_control` breakpoints. The prefix up to the
 *   last breakpoint (tools, then system, then messages) is read when this
 *   model cached it and it has not expired (a read refreshes it), otherwise
 *   written when it has at least 1,024 tokens (`ttl: "1h"` for an hour, else
 *   5 minutes). Only the last breakpoint is looked up (the real API also
 *   looks back for shorter cached prefixes).
 * - OpenAI: automatic. When the messages before the last one (with the
 *   tools) come to at least 1,024 tokens and this model saw them within 5
 *   minutes, they are reported as `cached_tokens` (1,024 plus whole 128-token
 *   steps); otherwise they are remembered. OpenAI reports no writes.
 *
 * Token counts use the gateway's tokenizer and never exceed the prompt's.
 */
export class MockProviderCache {
  private readonly expiries = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The reply with `cache` set when the directives ask for the simulation; otherwise the reply as it is. */
  apply(
    api: ApiKind,
    body: JsonObject,
    model: string,
    directives: string | undefined,
    reply: MockReply,
  ): MockReplyWithCache {
    const wanted = directives?.split(/[~,]/).some((d) => d.trim() === PROVIDER_CACHE_DIRECTIVE);
    if (!wanted) return reply;
    const cache =
      api === "anthropic"
        ? this.anthropic(body, model, reply.inputTokens)
        : this.openai(body, model, reply.inputTokens);
    return { ...reply, cache };
  }

  private anthropic(body: JsonObject, model: string, inputTokens: number): ProviderCacheUsage {
    const pieces = anthropicPieces(body);
    let last = -1;
    pieces.forEach((piece, i) => {
      if (piece.ttlMs !== undefined) last = i;
    });
    const breakpoint = pieces[last];
    if (breakpoint?.ttlMs === undefined) return { read: 0, write5m: 0, write1h: 0 };
    const prefix = pieces
      .slice(0, last + 1)
      .map((p) => p.text)
      .join("\n");
    const tokens = Math.min(inputTokens, countTextTokens(prefix));
    const key = keyOf(model, prefix);
    if (this.live(key)) {
      this.expiries.set(key, this.now() + breakpoint.ttlMs);
      return { read: tokens, write5m: 0, write1h: 0 };
    }
    if (tokens < MIN_CACHEABLE_TOKENS) return { read: 0, write5m: 0, write1h: 0 };
    this.expiries.set(key, this.now() + breakpoint.ttlMs);
    const hour = breakpoint.ttlMs === ONE_HOUR;
    return { read: 0, write5m: hour ? 0 : tokens, write1h: hour ? tokens : 0 };
  }

  private openai(body: JsonObject, model: string, inputTokens: number): ProviderCacheUsage {
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const prefix = JSON.stringify({ tools: body.tools ?? [], messages: messages.slice(0, -1) });
    const tokens = Math.min(inputTokens, countTextTokens(prefix));
    if (tokens < MIN_CACHEABLE_TOKENS) return { read: 0, write5m: 0, write1h: 0 };
    const key = keyOf(model, prefix);
    const hit = this.live(key);
    this.expiries.set(key, this.now() + FIVE_MINUTES);
    const steps = Math.floor((tokens - MIN_CACHEABLE_TOKENS) / OPENAI_STEP);
    return { read: hit ? MIN_CACHEABLE_TOKENS + steps * OPENAI_STEP : 0, write5m: 0, write1h: 0 };
  }

  /** Forgets every cached prefix. */
  clear(): void {
    this.expiries.clear();
  }

  private live(key: string): boolean {
    const expiresAt = this.expiries.get(key);
    return expiresAt !== undefined && expiresAt > this.now();
  }
}

function keyOf(model: string, prefix: string): string {
  return createHash("sha256").update(model).update("\u0000").update(prefix).digest("hex");
}

/** Tools, system blocks and message blocks in Anthropic's prefix order, markers removed from the text. */
function anthropicPieces(body: JsonObject): Piece[] {
  const pieces: Piece[] = [];
  const add = (part: unknown) => {
    if (!isRecord(part)) {
      pieces.push({ text: typeof part === "string" ? part : "", ttlMs: undefined });
      return;
    }
    const { cache_control: marker, ...rest } = part;
    const ttlMs = isRecord(marker) ? (marker.ttl === "1h" ? ONE_HOUR : FIVE_MINUTES) : undefined;
    pieces.push({ text: typeof rest.text === "string" ? rest.text : JSON.stringify(rest), ttlMs });
  };
  if (Array.isArray(body.tools)) body.tools.forEach(add);
  if (Array.isArray(body.system)) body.system.forEach(add);
  else add(body.system);
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) {
      const content = isRecord(message) ? message.content : undefined;
      if (Array.isArray(content)) content.forEach(add);
      else add(content);
    }
  }
  return pieces;
}
