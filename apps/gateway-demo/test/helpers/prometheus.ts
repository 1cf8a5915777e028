/** One sample of a Prometheus text exposition. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
  /** The sum of the samples named `name` whose labels include `labels`. */
  value(name: string, labels?: Record<string, string>): number;
  has(name: string): boolean;
}

const HELP = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$/;
const TYPE = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/;
const SAMPLE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? (-?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+|[Nn][Aa][Nn]|[+-][Ii][Nn][Ff]))(?: -?[0-9]+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"/g;
const SUFFIXES: Record<string, readonly string[]> = {
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["", "_sum", "_count"],
};

/**
 * A strict parser of the Prometheus text format (version 0.0.4, values as
 * Prometheus's Go parser reads them): every line
 * is a HELP, a TYPE or a sample; every sample belongs to a declared family
 * (histograms through `_bucket`, `_sum`, `_count`, with an `le` label on
 * buckets and a `+Inf` bucket equal to `_count`). Throws on the first problem.
 */
export function parsePrometheus(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line === "") return;
    if (line.startsWith("# HELP ")) {
      if (!HELP.test(line)) throw new Error(`line ${i + 1}: bad HELP: ${line}`);
      return;
    }
    if (line.startsWith("# TYPE ")) {
      const m = TYPE.exec(line);
      if (!m) throw new Error(`line ${i + 1}: bad TYPE: ${line}`);
      if (types.has(m[1] as string))
        throw new Error(`line ${i + 1}: family ${m[1]} declared twice`);
      types.set(m[1] as string, m[2] as string);
      return;
    }
    if (line.startsWith("#")) return;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${i + 1}: not a sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (m[2] ?? "").matchAll(LABEL))
      labels[key as string] = value as string;
    const raw = m[3] as string;
    const lower = raw.toLowerCase();
    // Go's ParseFloat (Prometheus) takes NaN and Inf in any case; prom-client writes "Nan".
    const value =
      lower === "+inf"
        ? Infinity
        : lower === "-inf"
          ? -Infinity
          : lower === "nan"
            ? NaN
            : Number(raw);
    samples.push({ name: m[1] as string, labels, value });
  });
  for (const sample of samples) {
    const family = familyOf(sample.name, types);
    if (family === undefined) throw new Error(`sample ${sample.name} has no TYPE`);
    if (
      types.get(family) === "histogram" &&
      sample.name.endsWith("_bucket") &&
      !("le" in sample.labels)
    )
      throw new Error(`bucket of ${family} without le`);
  }
  const matches = (s: Sample, labels: Record<string, string>) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v);
  return {
    types,
    samples,
    value: (name, labels = {}) =>
      samples.filter((s) => s.name === name && matches(s, labels)).reduce((a, s) => a + s.value, 0),
    has: (name) => samples.some((s) => s.name === name),
  };
}

function familyOf(name: string, types: ReadonlyMap<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const [family, type] of types) {
    for (const suffix of SUFFIXES[type] ?? []) if (name === `${family}${suffix}`) return family;
  }
  return undefined;
}
