import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { environmentLines, markdownTable, writeResult } from "../lib/table.js";
import { Children } from "./gateway/children.js";
import { shortName } from "./gateway/format.js";
import { report } from "./gateway/report.js";
import { runAll } from "./gateway/run-all.js";
import { FULL, QUICK } from "./gateway/settings.js";
import { portkeyScript } from "./gateway/targets.js";

const RESULT_NAME = "gateway";

/**
 * The `## Profile` section of the last results file, when this run does not
 * profile: the profile comes from `--profile` runs only, and a plain run
 * keeps the last one (labelled with its date) instead of dropping it.
 */
function previousProfile(): string | undefined {
  const path = fileURLToPath(new URL(`../../results/${RESULT_NAME}.md`, import.meta.url));
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const start = text.indexOf("\n## Profile\n");
  if (start === -1 || text.includes("Not profiled in this run")) return undefined;
  const date = text.match(/^- Date: (\S+)/m)?.[1] ?? "an earlier run";
  let section = text.slice(start + 1).trimEnd();
  section = section.replace(/\n\*Carried over[^\n]*\n/, "\n");
  const [heading, ...rest] = section.split("\n");
  const carried = `*Carried over from the \`--profile\` run of ${date}; rerun with \`--profile\` to refresh.*`;
  return [heading, "", carried, ...rest].join("\n");
}

function printProfileTops(results: Awaited<ReturnType<typeof runAll>>): void {
  for (const run of results.profiles ?? []) {
    console.error(`\nprofile, ${run.load}: ${run.file}`);
    console.error(
      markdownTable(
        ["self", "function", "where"],
        run.summary.entries.map((e) => [
          `${e.selfPct.toFixed(1)}%`,
          shortName(e.fn),
          e.location || e.area,
        ]),
      ),
    );
  }
}

export async function run(args: readonly string[]): Promise<void> {
  const quick = args.includes("--quick");
  const profile = args.includes("--profile");
  const settings = quick ? QUICK : FULL;
  const workDir = mkdtempSync(join(os.tmpdir(), "switchyard-bench-gateway-"));
  const profileDir = profile ? join(workDir, "profiles") : undefined;
  if (profileDir !== undefined) mkdirSync(profileDir);
  const children = new Children(workDir);
  const killOnExit = () => children.killAllSync();
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the child processes\n`);
    void children.stopAll().finally(() => process.exit(130));
  };
  process.once("exit", killOnExit);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const started = performance.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  let ok = false;
  try {
    const { version } = portkeyScript();
    const results = await runAll(children, workDir, settings, profileDir, version);
    await children.stopAll();
    const cpus = os.cpus();
    const markdown = report({
      results,
      settings,
      environment: environmentLines(),
      cpu: `${cpus.length} logical cores`,
      elapsedMs: performance.now() - started,
      loadAverage: { start: loadBefore, end: os.loadavg()[0] ?? 0 },
      carriedProfile: profile ? undefined : previousProfile(),
    });
    console.log(markdown);
    if (profile) printProfileTops(results);
    if (quick) console.error("\n--quick: results file not written");
    else console.error(`\nwrote ${await writeResult(RESULT_NAME, markdown)}`);
    ok = true;
  } finally {
    await children.stopAll();
    process.off("exit", killOnExit);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (ok && !profile) rmSync(workDir, { recursive: true, force: true });
    else if (ok) {
      // The access logs are large; the profiles and configs stay for a closer look.
      for (const file of readdirSync(workDir)) {
        if (file.endsWith(".log")) rmSync(join(workDir, file), { force: true });
      }
      console.error(`profiles kept in ${profileDir} (gateway configs in ${workDir})`);
    } else console.error(`logs and configs kept in ${workDir}`);
  }
}
