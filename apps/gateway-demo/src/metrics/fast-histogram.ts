import type { Registry } from "prom-client";

type Labels = Record<string, string>;

/** One label set of a {@link FastHistogram}: observing is a bucket search and three additions. */
export class HistogramSeries {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count++;
  }
}

interface MetricValue {
  labels: Labels;
  value: number;
  metricName?: string;
}

/**
 * A Prometheus histogram for the request path, registered in a prom-client
 * `Registry` as a custom metric: a series is looked up once per label set
 * and kept by the caller, and observing allocates nothing and validates
 * nothing (prom-client's own `observe` hashes and validates the labels on
 * every call). The text it produces is prom-client's (buckets, `_sum`,
 * `_count`). `countsAs` also exposes the per-series counts as a counter.
 */
export class FastHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** The series of a label set (`key`: the label values joined, unique per set). */
  seriesFor(key: string, labels: Labels): HistogramSeries {
    let series = this.series.get(key);
    if (series === undefined) {
      series = new HistogramSeries(labels, this.bounds);
      this.series.set(key, series);
    }
    return series;
  }

  /** A counter view: one line per series with its observation count. */
  countsAs(name: string, help: string, registry: Registry): void {
    const series = this.series;
    registry.registerMetric({
      name,
      help,
      type: "counter",
      aggregator: "sum",
      get: async () => ({
        name,
        help,
        type: "counter",
        aggregator: "sum",
        values: [...series.values()].map((s) => ({ labels: s.labels, value: s.count })),
      }),
      reset: () => {},
    } as never);
  }

  async get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: string;
    values: MetricValue[];
  }> {
    const values: MetricValue[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += s.counts[i] as number;
        values.push({
          labels: { ...s.labels, le: String(this.bounds[i]) },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      }
      values.push({
        labels: { ...s.labels, le: "+Inf" },
        value: s.count,
        metricName: `${this.name}_bucket`,
      });
      values.push({ labels: s.labels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: s.labels, value: s.count, metricName: `${this.name}_count` });
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    };
  }

  reset(): void {
    for (const s of this.series.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
