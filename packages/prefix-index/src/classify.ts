import {
  type CacheIndex,
  type CacheMatch,
  hashHex,
  type IndexScope,
  isTtlTier,
  type PrefixHash,
  type TtlTier,
  withTimeout,
} from "@switchyard/core";
import { blockTokenText } from "./block-text.js";
import type { Breakpoint } from "./breakpoints.js";
import { candidateIndices } from "./candidates.js";
import { type Classification, noCache, type PendingWrite } from "./classification.js";
import { prefixHashes } from "./hash.js";
import type { PromptBlock } from "./parse-request.js";
import type { Tokenizer, TokenSegment } from "./tokenizer.js";

/** Everything one classification needs. */
interface ClassifyInput {
  readonly blocks: readonly PromptBlock[];
  readonly breakpoints: readonly Breakpoint[];
  readonly scope: IndexScope;
  readonly index: CacheIndex;
  readonly tokenizer: Tokenizer;
  readonly minPrefixTokens: number;
  readonly lookupTimeoutMs: number;
}

class LookupTimeout extends Error {}
class TokenizerFailure extends Error {}

/**
 * Classifies one request against the index: one lookup for the candidates of
 * every breakpoint, the deepest match is the read, the pure-read shortcut,
 * tokenization of the blocks after the read only, the floor, one pending write
 * per deeper breakpoint billed at its own tier. Never rejects: any failure is
 * "no cache" with an outcome saying why.
 */
export async function classifyPrefix(input: ClassifyInput): Promise<Classification> {
  const { scope } = input;
  try {
    return await classify(input);
  } catch (error) {
    if (error instanceof LookupTimeout) return noCache(scope, true, "index-timeout");
    if (error instanceof TokenizerFailure) {
      return noCache(scope, true, "tokenizer-error", error.cause);
    }
    return noCache(scope, true, "error", error);
  }
}

async function classify(input: ClassifyInput): Promise<Classification> {
  const { blocks, breakpoints, scope } = input;
  const deepest = breakpoints.at(-1);
  if (deepest === undefined) return noCache(scope, true, "no-breakpoints");

  const hashes = prefixHashes(blocks, deepest.blockIndex);
  const indexes = candidateIndices(breakpoints.map((b) => b.blockIndex));
  const byHex = new Map<string, number>();
  for (const i of indexes) byHex.set(hashHex(hashes[i] as PrefixHash), i);

  let matches: CacheMatch[];
  try {
    matches = await withTimeout(
      input.index.lookup(
        scope,
        indexes.map((i) => hashes[i] as PrefixHash),
      ),
      input.lookupTimeoutMs,
      () => new LookupTimeout(),
    );
  } catch (error) {
    if (error instanceof LookupTimeout) throw error;
    return noCache(scope, true, "index-error", error);
  }

  let readAt = -1;
  let read = 0;
  let readTier: TtlTier = "5m";
  for (const match of matches) {
    const at = byHex.get(hashHex(match.prefixHash));
    const count = match.cumulativeTokenCount;
    if (at === undefined || at <= readAt || !isTtlTier(match.ttlTier)) continue;
    if (!Number.isFinite(count) || count < 0) continue;
    readAt = at;
    read = count;
    readTier = match.ttlTier;
  }
  const pendingRefresh =
    readAt < 0
      ? null
      : { prefixHash: hashes[readAt] as PrefixHash, ttlTier: readTier, blockIndex: readAt };

  if (readAt === deepest.blockIndex) {
    if (read < input.minPrefixTokens) return noCache(scope, true, "below-floor");
    return { ...noCache(scope, true, "pure-read"), read, pendingRefresh };
  }

  const deeper = breakpoints.filter((b) => b.blockIndex > readAt);
  const segments: TokenSegment[] = [];
  let from = readAt + 1;
  for (const breakpoint of deeper) {
    segments.push(blocks.slice(from, breakpoint.blockIndex + 1).map(blockTokenText));
    from = breakpoint.blockIndex + 1;
  }
  const counts = await countSegments(input.tokenizer, segments);
  if (read + (counts.at(-1) ?? 0) < input.minPrefixTokens) {
    return noCache(scope, true, "below-floor");
  }

  const creation: Record<TtlTier, number> = { "5m": 0, "1h": 0, "24h": 0 };
  const pendingWrites: PendingWrite[] = [];
  let previous = read;
  deeper.forEach((breakpoint, j) => {
    const cumulative = read + (counts[j] as number);
    creation[breakpoint.tier] += cumulative - previous;
    previous = cumulative;
    pendingWrites.push({
      prefixHash: hashes[breakpoint.blockIndex] as PrefixHash,
      cumulativeTokenCount: cumulative,
      ttlTier: breakpoint.tier,
      blockIndex: breakpoint.blockIndex,
    });
  });
  return { ...noCache(scope, true, "write"), read, creation, pendingWrites, pendingRefresh };
}

async function countSegments(
  tokenizer: Tokenizer,
  segments: readonly TokenSegment[],
): Promise<readonly number[]> {
  let counts: readonly number[];
  try {
    counts = await tokenizer.countCumulative(segments);
  } catch (error) {
    throw new TokenizerFailure("tokenizer failed", { cause: error });
  }
  let previous = 0;
  const valid =
    counts.length === segments.length &&
    counts.every((count) => {
      const ok = Number.isInteger(count) && count >= previous;
      previous = count;
      return ok;
    });
  if (!valid) {
    throw new TokenizerFailure("tokenizer failed", {
      cause: new Error(
        `countCumulative returned ${JSON.stringify(counts)} for ${segments.length} segments; expected non-decreasing non-negative integers, one per segment`,
      ),
    });
  }
  return counts;
}
