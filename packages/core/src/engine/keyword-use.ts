/**
 * When one pass over the prompt for every keyword ({@link KeywordScanner})
 * beats one `String#includes` per keyword. Measured on Node 20 (V8 11.3),
 * one scan costs as much as this many single searches: 8 keywords 3-3.4,
 * 15: 6.4-11.4, 30: 12-14, 100: 16-21, 400: 27 (over prompts of 6k to 57k
 * characters; it depends on the text). Below {@link SCAN_MIN_LENGTH}
 * characters a request always searches one keyword at a time.
 *
 * @see KeywordScanner
 */
export const SCAN_MIN_LENGTH = 4_096;

/** A scan's cost in single searches for `keywords` keywords (the measured upper range). */
export function scanCostInSearches(keywords: number): number {
  return Math.min(0.65 * keywords, 10 + keywords / 10, 28);
}

/**
 * How many distinct keywords the requests that reach one candidate list
 * (the routes of one model, or the any-model routes) ask about, as a moving
 * average. A long-prompt request scans at once when that average is at
 * least a scan's cost, and otherwise searches one keyword at a time as
 * before: a request that asks for fewer than expected pays at most one
 * scan (at most 28 single searches), one that asks for more pays no more
 * than without the scan.
 */
export class KeywordUse {
  /** Moving average of distinct keywords asked per request. */
  expected = 0;

  learn(asked: number): void {
    this.expected += (asked - this.expected) / 8;
  }

  /** Whether a request should search every keyword in one pass at its first question. */
  scanPays(keywords: number): boolean {
    return this.expected >= scanCostInSearches(keywords);
  }
}
