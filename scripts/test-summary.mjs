#!/usr/bin/env node
// Adds up the JSON reports every package's vitest wrote in this run and prints
// one closing line, `N passed, N failed, N skipped`, that CI reads.
//
//   node scripts/test-summary.mjs -- <command...>
// clears old reports (so a package that did not run cannot count), runs the
// command, then prints the totals. Exits non-zero when the command failed,
// a test failed, nothing ran, or (under CI) a test was skipped.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dirs = ["packages", "apps", "bench"].flatMap((group) => {
  const base = join(root, group);
  if (!existsSync(base)) return [];
  if (existsSync(join(base, "package.json"))) return [base];
  return readdirSync(base).map((name) => join(base, name));
});
const reports = dirs.map((dir) => join(dir, ".test-results", "vitest.json"));

let commandStatus = 0;
const separator = process.argv.indexOf("--");
if (separator !== -1) {
  for (const report of reports) rmSync(report, { force: true });
  const [command, ...args] = process.argv.slice(separator + 1);
  const child = spawnSync(command, args, { stdio: "inherit", shell: false });
  commandStatus = child.status ?? 1;
}

let passed = 0;
let failed = 0;
let skipped = 0;
let files = 0;
for (const report of reports.filter((r) => existsSync(r))) {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed += json.numPassedTests ?? 0;
  // A file that failed to load has no failed test but a failed suite: count it once.
  const failedTests = json.numFailedTests ?? 0;
  failed += failedTests > 0 ? failedTests : (json.numFailedTestSuites ?? 0);
  skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
  files += 1;
}
console.log(`\n${files} package reports`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (files === 0 || passed === 0) {
  console.error("no test ran: every package's vitest should write .test-results/vitest.json");
  process.exit(1);
}
if (process.env.CI && skipped > 0) {
  console.error("CI runs every test: remove the skip (a missing service must fail, not skip)");
  process.exit(1);
}
process.exit(failed > 0 || commandStatus !== 0 ? 1 : commandStatus);
