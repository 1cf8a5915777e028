/**
 * Every distinct lowercased keyword of an engine's routes, numbered once at
 * build time, so a request searches its prompt for each keyword at most once
 * however many routes share it.
 */
export class KeywordTable {
  readonly keywords: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The keyword's number; the same lowercased keyword always gets the same one. */
  intern(lowercased: string): number {
    let id = this.ids.get(lowercased);
    if (id === undefined) {
      id = this.keywords.length;
      this.keywords.push(lowercased);
      this.ids.set(lowercased, id);
    }
    return id;
  }
}

/** Per-request answers to "does the prompt contain keyword N", valid for one epoch (one request). */
export class KeywordMemo {
  private epoch = 1;
  private readonly stamp: Uint32Array;
  private readonly found: Uint8Array;

  constructor(private readonly table: KeywordTable) {
    this.stamp = new Uint32Array(table.keywords.length);
    this.found = new Uint8Array(table.keywords.length);
  }

  /** Forgets every answer in O(1). */
  next(): void {
    this.epoch = this.epoch === 0xffffffff ? this.restart() : this.epoch + 1;
  }

  contains(text: string, id: number): boolean {
    if (this.stamp[id] === this.epoch) return this.found[id] === 1;
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
