import { markdownTable } from "../../lib/table.js";
import { shortName } from "./format.js";
import type { ProfileRun } from "./profile-run.js";

/** The report's `## Profile` section of a `--profile` run. */
export function profileSection(runs: readonly ProfileRun[], dir: string | undefined): string[] {
  const out = [
    "## Profile",
    "",
    "`node --cpu-prof --cpu-prof-interval=250` on a fresh gateway child (same config), small prompt,",
    "after a warm-up; only the samples inside the timed window count. Self time as a share of the",
    `busy (non-idle) time. Files: \`${dir ?? "(temp dir)"}\` (open in Chrome DevTools).`,
    "What the usual entries are: [gateway-profile-notes.md](gateway-profile-notes.md).",
  ];
  for (const run of runs) {
    const s = run.summary;
    const perRequest = run.requests > 0 ? (run.cpuMs * 1000) / run.requests : Number.NaN;
    out.push(
      "",
      `### ${run.load}: ${run.requests} requests in ${(run.windowMs / 1000).toFixed(1)} s`,
      "",
      `Gateway CPU time in the window (\`/proc\`, profiler on): ${run.cpuMs.toFixed(0)} ms, ` +
        `${perRequest.toFixed(0)} µs/request; sampled busy ${s.busyMs.toFixed(0)} ms, idle ` +
        `${s.idleMs.toFixed(0)} ms (samples count wall time, so on a loaded machine busy can exceed CPU).`,
      "",
      "By area:",
      "",
      markdownTable(
        ["area", "self ms", "share"],
        s.areas.slice(0, 12).map((a) => [a.area, a.ms.toFixed(1), `${a.pct.toFixed(1)}%`]),
        ["left", "right", "right"],
      ),
      "",
      "Top functions (self time):",
      "",
      markdownTable(
        ["#", "self", "function", "where"],
        s.entries.map((e, i) => [
          String(i + 1),
          `${e.selfPct.toFixed(1)}%`,
          `\`${shortName(e.fn)}\``,
          e.location === "" ? e.area : `\`${e.location}\``,
        ]),
        ["right", "right", "left", "left"],
      ),
      "",
      "The gateway's own functions by inclusive time (callees included; nested entries overlap):",
      "",
      markdownTable(
        ["#", "total", "function", "where"],
        s.inclusive.map((e, i) => [
          String(i + 1),
          `${e.selfPct.toFixed(1)}%`,
          `\`${e.fn}\``,
          `\`${e.location}\``,
        ]),
        ["right", "right", "left", "left"],
      ),
    );
  }
  return out;
}
