import { SlicedCounter } from "./token-pieces.js";

/** The texts of the blocks of one segment (the blocks between two boundaries). */
export type TokenSegment = readonly string[];

/**
 * Counts tokens for classification. Only the blocks after the longest cache
 * read are ever counted, so a warm request tokenizes nothing before its read.
 */
export interface Tokenizer {
  /** Goes into `IndexScope.tokenizerVersion`: entries are re-keyed when it changes. */
  readonly version: string;
  /**
   * Cumulative token counts over consecutive segments: `result[j]` = tokens of
   * segments `0..j`. Same length as `segments`, non-decreasing, non-negative.
   */
  countCumulative(
    segments: readonly TokenSegment[],
  ): readonly number[] | Promise<readonly number[]>;
}

/** BPE encodings of `gpt-tokenizer` the default tokenizer can use. */
export type GptEncodingName = "o200k_base" | "cl100k_base";

/** The `gpt-tokenizer` release this package is built and tested against. */
export const GPT_TOKENIZER_VERSION = "4.0.0";

type CountTokens = (text: string, options: { disallowedSpecial: Set<string> }) => number;

/**
 * The default tokenizer: a real BPE tokenizer (`gpt-tokenizer`, pure JS),
 * `o200k_base` unless told otherwise. Its encoding tables load lazily on the
 * first count. Special-token strings in prompts count as plain text. Each
 * block is counted on its own and the counts are summed; a block is counted
 * in pieces of bounded length (`MAX_TOKEN_PIECE`, so the work is linear in
 * its length even for one long word) and the count yields to the event loop
 * every few milliseconds (`SlicedCounter`).
 * Version: `gpt-tokenizer@4.0.0:o200k_base`.
 */
export function createGptTokenizer(options: { encoding?: GptEncodingName } = {}): Tokenizer {
  const encoding = options.encoding ?? "o200k_base";
  let loading: Promise<CountTokens> | undefined;
  const load = (): Promise<CountTokens> => {
    loading ??= (
      encoding === "cl100k_base"
        ? import("gpt-tokenizer/encoding/cl100k_base")
        : import("gpt-tokenizer/encoding/o200k_base")
    ).then(
      (module) => module.countTokens as CountTokens,
      (error: unknown) => {
        loading = undefined; // let a later count retry the import
        throw error;
      },
    );
    return loading;
  };
  const plainText = { disallowedSpecial: new Set<string>() };
  return {
    version: `gpt-tokenizer@${GPT_TOKENIZER_VERSION}:${encoding}`,
    async countCumulative(segments) {
      const count = await load();
      const counter = new SlicedCounter((piece) => count(piece, plainText));
      const out: number[] = [];
      let total = 0;
      for (const segment of segments) {
        for (const text of segment) total += await counter.tokens(text);
        out.push(total);
      }
      return out;
    },
  };
}
