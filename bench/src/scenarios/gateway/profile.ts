import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) read here. */
interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly children?: readonly number[];
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
  }>;
  /** Microseconds on the monotonic clock (the same clock as `process.hrtime`). */
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileEntry {
  readonly fn: string;
  readonly location: string;
  readonly area: string;
  readonly selfMs: number;
  /** Share of the busy (non-idle) time in the window. */
  readonly selfPct: number;
}

export interface ProfileSummary {
  /** Busy time in the window, ms (idle excluded). */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly entries: readonly ProfileEntry[];
  /** Busy time by area (gateway source, each dependency, Node core, GC, ...). */
  readonly areas: ReadonlyArray<{
    readonly area: string;
    readonly ms: number;
    readonly pct: number;
  }>;
  /** The gateway's and the Switchyard packages' functions by inclusive (total) time. */
  readonly inclusive: readonly ProfileEntry[];
}

/** The repository root, to print paths relative to it. */
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** Where a frame's code lives, grouped for the by-area table. */
function areaOf(fn: string, url: string): string {
  if (url === "") {
    if (fn === "(garbage collector)") return "GC";
    if (fn === "(idle)") return "idle";
    if (fn === "(program)") return "V8 / native (program)";
    return "native";
  }
  if (url.startsWith("node:")) {
    const module = url.slice(5).replace(/^internal\//, "");
    return `Node core (${module.split("/")[0]?.replace(/\.js$/, "")})`;
  }
  const pnpm = url.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pnpm) return pnpm[1] as string;
  const plain = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (plain) return plain[1] as string;
  // The build (`dist/main.js`, as `start` runs it) or, under tsx, the sources.
  if (/\/apps\/gateway-demo\/(dist|src)\//.test(url)) return "gateway-demo";
  const pkg = url.match(/\/packages\/([^/]+)\//);
  if (pkg) return `@switchyard/${pkg[1]}`;
  return "other";
}

/** The gateway's own code and the Switchyard packages. */
const OURS = /^(gateway-demo|@switchyard\/)/;

function shortLocation(url: string, line: number): string {
  if (url === "") return "";
  if (url.endsWith(".ts")) line = -1;
  let path = url.replace(/^file:\/\//, "");
  const pnpm = path.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/(.*)$/);
  if (pnpm) path = pnpm[1] as string;
  else if (path.startsWith(REPO_ROOT)) path = path.slice(REPO_ROOT.length);
  path = path.replace(/^apps\//, "").replace(/^packages\//, "");
  return line < 0 ? path : `${path}:${line + 1}`;
}

/**
 * Self time per function (name + file + line) over the samples taken in
 * `[fromUs, toUs]` (monotonic µs, e.g. `process.hrtime.bigint() / 1000n`),
 * so start-up and warm-up do not count. Each sample is weighted by the time
 * until the next one.
 */
export function summarizeProfile(
  path: string,
  fromUs: number,
  toUs: number,
  limit: number,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const total = new Map<string, { fn: string; location: string; area: string; us: number }>();
  const self = new Map<string, { fn: string; location: string; area: string; us: number }>();
  const areaUs = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  let t = profile.startTime;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) continue;
    const weight = timeDeltas[i + 1] ?? 0;
    const frame = byId.get(samples[i] as number);
    if (frame === undefined) continue;
    const fn = frame.functionName || "(anonymous)";
    const area = areaOf(fn, frame.url);
    if (area === "idle") {
      idleUs += weight;
      continue;
    }
    busyUs += weight;
    areaUs.set(area, (areaUs.get(area) ?? 0) + weight);
    const location = shortLocation(frame.url, frame.lineNumber);
    const key = `${fn}@${location}`;
    const entry = self.get(key);
    if (entry) entry.us += weight;
    else self.set(key, { fn, location, area, us: weight });
    // Inclusive time of our own functions: each function once per sample, however deep.
    const seen = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parentOf.get(id)) {
      const f = byId.get(id);
      if (f === undefined) break;
      const a = areaOf(f.functionName, f.url);
      if (!OURS.test(a)) continue;
      const name = f.functionName || "(anonymous)";
      const where = shortLocation(f.url, f.lineNumber);
      const k = `${name}@${where}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const t = total.get(k);
      if (t) t.us += weight;
      else total.set(k, { fn: name, location: where, area: a, us: weight });
    }
  }
  const pct = (us: number) => (busyUs === 0 ? 0 : (us * 100) / busyUs);
  const entries = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((e) => ({
      fn: e.fn,
      location: e.location,
      area: e.area,
      selfMs: e.us / 1000,
      selfPct: pct(e.us),
    }));
  const areas = [...areaUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([area, us]) => ({ area, ms: us / 1000, pct: pct(us) }));
  const inclusive = [...total.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((e) => ({
      fn: e.fn,
      location: e.location,
      area: e.area,
      selfMs: e.us / 1000,
      selfPct: pct(e.us),
    }));
  return { busyMs: busyUs / 1000, idleMs: idleUs / 1000, entries, areas, inclusive };
}
