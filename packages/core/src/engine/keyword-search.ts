/**
 * Characters of the text one step of a search reads before its overlap with
 * the next (see {@link KeywordSearch}).
 */
export const SEARCH_CHUNK = 65_536;

/**
 * What a {@link KeywordSearch} needs of its scanner (a `KeywordScanner`):
 * declared here so that the search does not import the scanner that creates it.
 */
interface ChunkMatcher {
  readonly keywords: readonly string[];
  /** Length of the longest keyword (UTF-16 units). */
  readonly longest: number;
  /** See `KeywordScanner.matchChunk`: keywords still missing, or -1 when the pass gave up. */
  matchChunk(chunk: string, found: Uint8Array, missing: number): number;
}

/**
 * One text's search for every keyword of a `KeywordScanner`, cut into
 * chunks of {@link SEARCH_CHUNK} characters so that it can run in bounded
 * steps ({@link advance}) between which the caller may yield the event loop.
 * Consecutive chunks overlap by the longest keyword's length minus one, so
 * a keyword across a cut is found (`String#slice` shares the text's
 * characters: a chunk costs no copy).
 *
 * Each chunk is read by the scanner's one-pass expression; a chunk with more
 * than `MAX_MATCHES` matches (a keyword that occurs everywhere) is then
 * searched with `includes` for each keyword still missing, keyword by
 * keyword, so that even that case is cut into steps. The answers are the
 * same as `includes` on the whole text, however the steps are cut.
 */
export class KeywordSearch {
  private start = 0;
  private missing: number;
  /** Index of the next keyword to search the current chunk for with `includes`; -1 while the expression reads it. */
  private nextKeyword = -1;
  private finished: boolean;

  constructor(
    private readonly scanner: ChunkMatcher,
    private readonly text: string,
    private readonly found: Uint8Array,
  ) {
    found.fill(0);
    this.missing = scanner.keywords.length;
    this.finished = this.missing === 0;
  }

  /** Whether every answer is known. */
  get done(): boolean {
    return this.finished;
  }

  /**
   * Searches until about `work` characters have been read (at least one
   * chunk, or one keyword over one chunk), or to the end. Returns whether
   * the search is done.
   */
  advance(work = Number.POSITIVE_INFINITY): boolean {
    let read = 0;
    while (!this.finished && (read === 0 || read < work)) {
      const end = Math.min(this.text.length, this.start + SEARCH_CHUNK + this.scanner.longest - 1);
      const chunk = this.text.slice(this.start, end);
      if (this.nextKeyword < 0) {
        read += chunk.length;
        const left = this.scanner.matchChunk(chunk, this.found, this.missing);
        if (left < 0) {
          this.nextKeyword = 0;
          continue;
        }
        this.missing = left;
      } else {
        read += this.includesStep(chunk, work - read);
        if (this.nextKeyword < this.scanner.keywords.length) continue;
        this.nextKeyword = -1;
      }
      this.start += SEARCH_CHUNK;
      this.finished = this.missing === 0 || end === this.text.length;
    }
    return this.finished;
  }

  /** Searches the chunk for missing keywords one at a time until `work` characters are read (at least one keyword). */
  private includesStep(chunk: string, work: number): number {
    const keywords = this.scanner.keywords;
    let read = 0;
    while (this.nextKeyword < keywords.length && (read === 0 || read < work)) {
      const id = this.nextKeyword++;
      if (this.found[id] === 1) continue;
      read += chunk.length;
      if (chunk.includes(keywords[id] as string)) {
        this.found[id] = 1;
        this.missing--;
      }
    }
    return read;
  }
}
