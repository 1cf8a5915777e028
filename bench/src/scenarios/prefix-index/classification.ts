import { randomUUID } from "node:crypto";
import type { CacheIndex } from "@switchyard/core";
import {
  blockTokenText,
  type Classification,
  createGptTokenizer,
  PrefixCache,
  type PreparedRequest,
  type RequestPrincipal,
} from "@switchyard/prefix-index";
import { type Conversation, MODEL, requestBody } from "./conversation.js";
import { CountingTokenizer, TimedIndex } from "./instruments.js";
import { type Latency, type SamplePlan, summarize, timeCalls } from "./latency.js";

export const TARIFFS = { [MODEL]: { inputPerMillion: 3, outputPerMillion: 15 } };
const OK = { status: 200, usageSeen: true } as const;

/** What the counting tokenizer saw during one classification. */
export interface TokenizerCheck {
  readonly calls: number;
  readonly blocksTokenized: number;
  readonly charactersTokenized: number;
  /** Characters of the prompt's blocks up to and including the read: none of them may be tokenized. */
  readonly charactersUpToRead: number;
  /** Characters of the blocks after the read, up to the deepest breakpoint: all that may be tokenized. */
  readonly charactersAfterRead: number;
  /** The tokenized texts are exactly the blocks after the read, in order. */
  readonly onlyAfterRead: boolean;
}

export interface Cell {
  readonly index: string;
  readonly label: string;
  readonly classify: Latency;
  readonly lookup: Latency;
  readonly classification: Classification;
  readonly tokenizer: TokenizerCheck;
}

export interface IndexResult {
  readonly cells: readonly Cell[];
  readonly commit: Latency;
}

export interface ClassificationPlan extends SamplePlan {
  /** Samples of the cold classification (tokenizes the whole prompt with the real BPE). */
  readonly coldSamples: number;
}

function fail(message: string): never {
  throw new Error(`prefix-index benchmark: ${message}`);
}

function tokenizerCheck(
  prepared: PreparedRequest,
  c: Classification,
  tokenizer: CountingTokenizer,
): TokenizerCheck {
  const readAt = c.pendingRefresh?.blockIndex ?? -1;
  const deepest = prepared.breakpoints.at(-1)?.blockIndex ?? -1;
  const texts = prepared.blocks.map(blockTokenText);
  const after = texts.slice(readAt + 1, deepest + 1);
  const chars = (list: readonly string[]) => list.reduce((sum, t) => sum + t.length, 0);
  const pureRead = readAt === deepest;
  return {
    calls: tokenizer.calls,
    blocksTokenized: tokenizer.texts.length,
    charactersTokenized: tokenizer.characters,
    charactersUpToRead: chars(texts.slice(0, readAt + 1)),
    charactersAfterRead: pureRead ? 0 : chars(after),
    onlyAfterRead: pureRead
      ? tokenizer.calls === 0
      : tokenizer.texts.length === after.length && tokenizer.texts.every((t, i) => t === after[i]),
  };
}

/**
 * Walks the conversation through `PrefixCache` on `index` (turns 1..last-1
 * classified and committed, as a gateway would), then times the last turn's
 * classification warm (the previous turn committed), its commit, and the
 * same request again (a pure read). With `cold`, also the classification
 * against an empty scope, which tokenizes the whole prompt.
 */
export async function measureIndex(
  name: string,
  index: CacheIndex,
  conversation: Conversation,
  plan: ClassificationPlan,
  cold: boolean,
): Promise<IndexResult> {
  const timed = new TimedIndex(index);
  const tokenizer = new CountingTokenizer(createGptTokenizer());
  const cache = new PrefixCache({ index: timed, tariffs: TARIFFS, tokenizer });
  const principal: RequestPrincipal = { principalId: randomUUID(), virtualModel: MODEL };
  const last = conversation.turns.length;

  let previousWrite = 0;
  for (let n = 1; n < last; n++) {
    const c = await cache.classify(
      cache.prepare(requestBody(conversation, n), "anthropic"),
      principal,
    );
    if (c.outcome !== "write")
      fail(`${name}: turn ${n} classified as ${c.outcome}, expected write`);
    if (n > 1 && c.read !== previousWrite) {
      fail(`${name}: turn ${n} read ${c.read} tokens, turn ${n - 1} wrote ${previousWrite}`);
    }
    previousWrite = c.pendingWrites.at(-1)?.cumulativeTokenCount ?? 0;
    const committed = await cache.commit(c, OK);
    if (committed !== "committed") fail(`${name}: commit of turn ${n} gave ${committed}`);
  }

  const prepared = cache.prepare(requestBody(conversation, last), "anthropic");
  const cells: Cell[] = [];
  const cell = async (
    label: string,
    who: RequestPrincipal,
    samples: SamplePlan,
    expect: (c: Classification) => string | undefined,
  ): Promise<Classification> => {
    tokenizer.reset();
    const first = await cache.classify(prepared, who);
    const check = tokenizerCheck(prepared, first, tokenizer);
    const problem = expect(first);
    if (problem) fail(`${name}, ${label}: ${problem}`);
    timed.lookups = [];
    timed.recording = true;
    const latency = await timeCalls(samples, () => cache.classify(prepared, who));
    timed.recording = false;
    cells.push({
      index: name,
      label,
      classify: latency,
      lookup: summarize(timed.lookups),
      classification: first,
      tokenizer: check,
    });
    return first;
  };

  const warm = await cell(`warm: turn ${last}, turn ${last - 1} committed`, principal, plan, (c) =>
    c.outcome !== "write"
      ? `outcome ${c.outcome}`
      : c.read !== previousWrite
        ? `read ${c.read}, expected ${previousWrite}`
        : undefined,
  );
  const commit = await timeCalls(plan, async () => {
    const result = await cache.commit(warm, OK);
    if (result !== "committed") fail(`${name}: commit gave ${result}`);
  });
  const written = warm.pendingWrites.at(-1)?.cumulativeTokenCount ?? 0;
  await cell(`pure read: turn ${last} again, committed`, principal, plan, (c) =>
    c.outcome !== "pure-read"
      ? `outcome ${c.outcome}`
      : c.read !== written
        ? `read ${c.read}, expected ${written}`
        : undefined,
  );
  if (cold) {
    const stranger: RequestPrincipal = { principalId: randomUUID(), virtualModel: MODEL };
    await cell(
      "cold: empty scope, whole prompt tokenized",
      stranger,
      { warmup: 1, samples: plan.coldSamples },
      (c) =>
        c.outcome !== "write" || c.read !== 0 ? `outcome ${c.outcome}, read ${c.read}` : undefined,
    );
  }
  return { cells, commit };
}
