import type { CacheEntry, CacheIndex, CacheMatch, IndexScope, PrefixHash } from "@switchyard/core";
import type { Tokenizer, TokenSegment } from "../src/index.js";

const hex = (hash: PrefixHash) => Buffer.from(hash).toString("hex");

/** A CacheIndex backed by a Map, recording every call (the real MemoryCacheIndex lives elsewhere). */
export class MapCacheIndex implements CacheIndex {
  readonly entries = new Map<string, CacheEntry>();
  readonly lookups: PrefixHash[][] = [];
  readonly writes: CacheEntry[] = [];
  readonly refreshes: { scope: IndexScope; prefixHash: PrefixHash; newExpiresAt: Date }[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  async lookup(scope: IndexScope, candidates: readonly PrefixHash[]): Promise<CacheMatch[]> {
    this.lookups.push([...candidates]);
    const matches: CacheMatch[] = [];
    for (const hash of candidates) {
      const entry = this.entries.get(key(scope, hash));
      if (entry !== undefined && entry.expiresAt.getTime() > this.now()) {
        matches.push({
          prefixHash: entry.prefixHash,
          cumulativeTokenCount: entry.cumulativeTokenCount,
          ttlTier: entry.ttlTier,
          expiresAt: entry.expiresAt,
        });
      }
    }
    return matches;
  }

  async write(entry: CacheEntry): Promise<void> {
    this.writes.push(entry);
    this.entries.set(key(entry.scope, entry.prefixHash), entry);
  }

  async refresh(scope: IndexScope, prefixHash: PrefixHash, newExpiresAt: Date): Promise<void> {
    this.refreshes.push({ scope, prefixHash, newExpiresAt });
    const entry = this.entries.get(key(scope, prefixHash));
    if (entry !== undefined)
      this.entries.set(key(scope, prefixHash), { ...entry, expiresAt: newExpiresAt });
  }
}

function key(scope: IndexScope, hash: PrefixHash): string {
  return [scope.principalId, scope.virtualModel, scope.tokenizerVersion, hex(hash)].join("|");
}

/** One token per whitespace-separated word; records every text it was asked to count. */
export class WordTokenizer implements Tokenizer {
  readonly version = "words-v1";
  readonly seen: string[] = [];
  calls = 0;

  countCumulative(segments: readonly TokenSegment[]): number[] {
    this.calls++;
    const out: number[] = [];
    let total = 0;
    for (const segment of segments) {
      for (const text of segment) {
        this.seen.push(text);
        total += text.split(/\s+/).filter(Boolean).length;
      }
      out.push(total);
    }
    return out;
  }
}

/** `n` distinct words tagged with `tag`: n tokens for the WordTokenizer. */
export function words(n: number, tag: string): string {
  return Array.from({ length: n }, (_, i) => `${tag}${i}`).join(" ");
}

export const ephemeral = (ttl?: "5m" | "1h" | "24h") =>
  ttl === undefined ? { type: "ephemeral" } : { type: "ephemeral", ttl };

export const text = (value: string, marker?: unknown) =>
  marker === undefined
    ? { type: "text", text: value }
    : { type: "text", text: value, cache_control: marker };

export const PRINCIPAL = { principalId: "org-1", virtualModel: "claude-like" } as const;

export const TARIFFS = {
  "claude-like": { inputPerMillion: 3, outputPerMillion: 15 },
} as const;

/** The value, or a test failure when it is missing. */
export function must<T>(value: T | undefined | null, what = "value"): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}`);
  return value;
}
