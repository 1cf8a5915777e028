import { performance } from "node:perf_hooks";
import type { CacheEntry, CacheIndex, CacheMatch, IndexScope, PrefixHash } from "@switchyard/core";
import type { Tokenizer, TokenSegment } from "@switchyard/prefix-index";

/** Wraps a Tokenizer and records what it was asked to count. */
export class CountingTokenizer implements Tokenizer {
  calls = 0;
  texts: string[] = [];
  constructor(private readonly inner: Tokenizer) {}

  get version(): string {
    return this.inner.version;
  }

  get characters(): number {
    return this.texts.reduce((sum, t) => sum + t.length, 0);
  }

  reset(): void {
    this.calls = 0;
    this.texts = [];
  }

  countCumulative(segments: readonly TokenSegment[]) {
    this.calls++;
    for (const segment of segments) this.texts.push(...segment);
    return this.inner.countCumulative(segments);
  }
}

/** Wraps a CacheIndex and times every lookup while `recording` is on. */
export class TimedIndex implements CacheIndex {
  recording = false;
  lookups: number[] = [];
  constructor(readonly inner: CacheIndex) {}

  async lookup(scope: IndexScope, candidates: readonly PrefixHash[]): Promise<CacheMatch[]> {
    const start = performance.now();
    try {
      return await this.inner.lookup(scope, candidates);
    } finally {
      if (this.recording) this.lookups.push(performance.now() - start);
    }
  }

  write(entry: CacheEntry): Promise<void> {
    return this.inner.write(entry);
  }

  refresh(scope: IndexScope, prefixHash: PrefixHash, newExpiresAt: Date): Promise<void> {
    return this.inner.refresh(scope, prefixHash, newExpiresAt);
  }
}
