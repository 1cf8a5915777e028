import { KeywordScanner } from "./keyword-scanner.js";

/**
 * Every distinct lowercased keyword of an engine's routes, numbered once at
 * build time, so a request searches its prompt for each keyword at most once
 * however many routes share it.
 */
export class KeywordTable {
  readonly keywords: string[] = [];
  private readonly ids = new Map<string, number>();
  private scanner: KeywordScanner | undefined;

  /** The keyword's number; the same lowercased keyword always gets the same one. */
  intern(lowercased: string): number {
    let id = this.ids.get(lowercased);
    if (id === undefined) {
      id = this.keywords.length;
      this.keywords.push(lowercased);
      this.ids.set(lowercased, id);
      this.scanner = undefined;
    }
    return id;
  }

  /** The one-pass search over every keyword, built on first use. */
  keywordScanner(): KeywordScanner {
    this.scanner ??= new KeywordScanner(this.keywords);
    return this.scanner;
  }
}

/**
 * Keywords a request searches one by one before it searches for all of them
 * at once: a single `includes` is cheaper than the one-pass scan when only a
 * few keyword conditions are reached, the scan is cheaper for many.
 */
export const SEARCHES_BEFORE_SCAN = 4;
/** Prompts shorter than this are always searched one keyword at a time (the scan's fixed cost dominates). */
export const SCAN_MIN_LENGTH = 256;

/**
 * Per-request answers to "does the prompt contain keyword N", valid for one
 * epoch (one request): the first {@link SEARCHES_BEFORE_SCAN} keywords asked
 * about are searched one by one, the next question answers all of them in
 * one pass over the text (prompts of {@link SCAN_MIN_LENGTH} characters or
 * more; shorter ones are always searched one by one).
 */
export class KeywordMemo {
  private epoch = 1;
  private searches = 0;
  private readonly stamp: Uint32Array;
  private readonly found: Uint8Array;

  constructor(private readonly table: KeywordTable) {
    this.stamp = new Uint32Array(table.keywords.length);
    this.found = new Uint8Array(table.keywords.length);
  }

  /** Forgets every answer in O(1). */
  next(): void {
    this.epoch = this.epoch === 0xffffffff ? this.restart() : this.epoch + 1;
    this.searches = 0;
  }

  contains(text: string, id: number): boolean {
    if (this.stamp[id] === this.epoch) return this.found[id] === 1;
    if (++this.searches > SEARCHES_BEFORE_SCAN && text.length >= SCAN_MIN_LENGTH) {
      this.table.keywordScanner().scan(text, this.found);
      this.stamp.fill(this.epoch);
      return this.found[id] === 1;
    }
    const hit = text.includes(this.table.keywords[id] as string);
    this.stamp[id] = this.epoch;
    this.found[id] = hit ? 1 : 0;
    return hit;
  }

  private restart(): number {
    this.stamp.fill(0);
    return 1;
  }
}
