import { KeywordScanner } from "./keyword-scanner.js";
import { type KeywordUse, SCAN_MIN_LENGTH } from "./keyword-use.js";

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
 * Per-request answers to "does the prompt contain keyword N", valid for one
 * epoch (one request). Long prompts may be searched for every keyword in one
 * pass instead of one keyword at a time, as {@link KeywordUse} decides; the
 * answers are the same either way.
 */
export class KeywordMemo {
  private epoch = 1;
  /** Asked about (and answered) in this epoch. */
  private readonly stamp: Uint32Array;
  private readonly found: Uint8Array;
  private askedCount = 0;
  /** Whether this request searched every keyword in one pass (then `found` holds all answers); decided at its first question. */
  private scanned: boolean | undefined;
  private use: KeywordUse | undefined;

  constructor(private readonly table: KeywordTable) {
    this.stamp = new Uint32Array(table.keywords.length);
    this.found = new Uint8Array(table.keywords.length);
  }

  /** Starts a request: forgets every answer in O(1). `use` learns what the request asks for. */
  next(use?: KeywordUse): void {
    this.epoch = this.epoch === 0xffffffff ? this.restart() : this.epoch + 1;
    this.askedCount = 0;
    this.scanned = undefined;
    this.use = use;
  }

  /** Ends a request: tells its `KeywordUse` how many keywords it asked about. */
  finish(): void {
    this.use?.learn(this.askedCount);
    this.use = undefined;
  }

  contains(text: string, id: number): boolean {
    if (this.stamp[id] === this.epoch) return this.found[id] === 1;
    this.stamp[id] = this.epoch;
    this.askedCount++;
    if (this.scanned === undefined) {
      this.scanned =
        text.length >= SCAN_MIN_LENGTH &&
        this.use !== undefined &&
        this.use.scanPays(this.table.keywords.length);
      if (this.scanned) this.table.keywordScanner().scan(text, this.found);
    }
    if (this.scanned) return this.found[id] === 1;
    const hit = text.includes(this.table.keywords[id] as string);
    this.found[id] = hit ? 1 : 0;
    return hit;
  }

  private restart(): number {
    this.stamp.fill(0);
    return 1;
  }
}
