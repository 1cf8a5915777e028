import { Counter, type Gauge, type Registry } from "prom-client";

type Collect<T> = (this: T) => void;

/** Plain sums by label set, exported at scrape time (nothing hashed per request). */
export class Tally {
  readonly entries = new Map<string, { labels: Record<string, string>; value: number }>();

  add(key: string, n: number, labels: Record<string, string>): void {
    const entry = this.entries.get(key);
    if (entry === undefined) this.entries.set(key, { labels, value: n });
    else entry.value += n;
  }
}

/** A counter that exports a {@link Tally} at scrape time. */
export function tallyCounter(
  registers: Registry[],
  tally: Tally,
  options: { name: string; help: string; labelNames: string[] },
): void {
  new Counter({
    ...options,
    registers,
    collect: resetting((m) => {
      for (const { labels, value } of tally.entries.values()) m.inc(labels, value);
    }),
  });
}

/** A counter whose value is read from elsewhere at scrape time. */
export function resetting(fill: (metric: Counter<string>) => void): Collect<Counter<string>> {
  return function collect(this: Counter<string>) {
    this.reset();
    fill(this);
  };
}

/** A gauge whose value is read from elsewhere at scrape time. */
export function resettingGauge(fill: (metric: Gauge<string>) => void): Collect<Gauge<string>> {
  return function collect(this: Gauge<string>) {
    this.reset();
    fill(this);
  };
}
