import { KeywordSearch } from "./keyword-search.js";

/**
 * Finds which of many keywords occur in a text in one pass: a regular
 * expression alternating every keyword, longest first. `String#includes`
 * reads the whole text once per keyword: 300 keywords over a
 * 57k-character prompt take ~3.4 ms that way and ~0.2 ms in one pass; with
 * few keywords the single searches win ({@link KeywordUse} decides).
 *
 * At each position the alternation reports the longest keyword starting
 * there; the shorter keywords starting there are its prefixes, listed ahead
 * of time. The next search starts one character later, so keywords inside
 * others are found too. A text with very many matches (a one-letter
 * keyword, say) stops matching after {@link MAX_MATCHES} and answers the
 * keywords still unseen with `includes`, so the cost stays bounded. Long
 * texts are read in chunks ({@link KeywordSearch}), which a caller may spread
 * over several turns of the event loop.
 */
export class KeywordScanner {
  /** `undefined` when V8 refuses the pattern (then every keyword gets `includes`). */
  private readonly pattern: RegExp | undefined;
  /** Keyword id by keyword. */
  private readonly ids = new Map<string, number>();
  /** For each keyword id, the ids of the other keywords that are its prefixes. */
  private readonly prefixes: number[][];
  /** Length of the longest keyword (UTF-16 units). */
  readonly longest: number;

  constructor(readonly keywords: readonly string[]) {
    keywords.forEach((keyword, id) => {
      if (keyword === "") throw new Error("KeywordScanner: keywords must not be empty");
      this.ids.set(keyword, id);
    });
    const longestFirst = [...this.ids.keys()].sort((a, b) => b.length - a.length);
    this.longest = longestFirst[0]?.length ?? 1;
    this.pattern = compile(longestFirst.map(escapeRegExp).join("|"));
    this.prefixes = keywords.map((keyword) => {
      const ids: number[] = [];
      for (let length = 1; length < keyword.length; length++) {
        const id = this.ids.get(keyword.slice(0, length));
        if (id !== undefined) ids.push(id);
      }
      return ids;
    });
  }

  /** Sets `found[id]` to 1 for every keyword the text contains, 0 for the others, at once. */
  scan(text: string, found: Uint8Array): void {
    this.search(text, found).advance();
  }

  /** The same search as {@link scan}, to be run in steps (see {@link KeywordSearch}). */
  search(text: string, found: Uint8Array): KeywordSearch {
    return new KeywordSearch(this, text, found);
  }

  /**
   * Marks in `found` the keywords the chunk contains, in one pass. Returns how
   * many of the `missing` keywords are still missing, or -1 when the pass
   * gave up (over {@link MAX_MATCHES} matches, or V8 refused the pattern):
   * then the caller searches the chunk for the missing ones with `includes`.
   */
  matchChunk(chunk: string, found: Uint8Array, missing: number): number {
    const pattern = this.pattern;
    if (pattern === undefined) return -1;
    try {
      return this.match(pattern, chunk, found, missing);
    } catch {
      // V8 compiles the pattern on first use and may give up on a huge one.
      return -1;
    } finally {
      pattern.lastIndex = 0;
    }
  }

  private match(pattern: RegExp, text: string, found: Uint8Array, missing: number): number {
    let matches = 0;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      const id = this.ids.get(m[0]) as number;
      if (found[id] === 0) {
        found[id] = 1;
        missing--;
        for (const prefix of this.prefixes[id] as number[]) {
          if (found[prefix] === 0) {
            found[prefix] = 1;
            missing--;
          }
        }
        if (missing === 0) return 0;
      }
      if (++matches === MAX_MATCHES) return missing === 0 ? 0 : -1;
      pattern.lastIndex = m.index + 1;
    }
    return missing;
  }
}

/** Matches after which a scan answers the rest with `includes`. */
export const MAX_MATCHES = 256;

function compile(source: string): RegExp | undefined {
  try {
    return new RegExp(source, "g");
  } catch {
    return undefined;
  }
}

/** The keyword as a literal in a (non-unicode) regular expression. */
function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}
