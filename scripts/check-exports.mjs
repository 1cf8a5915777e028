#!/usr/bin/env node
// After a build: every file a published package's `exports`, `main`, `module`
// and `types` point at must exist, so a release can never ship a dangling path.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
const problems = [];
let checked = 0;

function targets(value, out = []) {
  if (typeof value === "string") out.push(value);
  else if (value && typeof value === "object")
    for (const v of Object.values(value)) targets(v, out);
  return out;
}

for (const name of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", name);
  const manifestPath = join(dir, "package.json");
  if (!existsSync(manifestPath)) continue;
  const pkg = JSON.parse(readFileSync(manifestPath, "utf8"));
  if (pkg.private) continue;
  const paths = [pkg.main, pkg.module, pkg.types, ...targets(pkg.exports)].filter(Boolean);
  for (const path of new Set(paths)) {
    checked += 1;
    if (!existsSync(join(dir, path)))
      problems.push(`${pkg.name}: ${path} is exported but missing (run the build)`);
  }
  await loadEntries(pkg, dir);
}

// Both module formats must load and expose the same names.
async function loadEntries(pkg, dir) {
  const entry = pkg.exports?.["."];
  if (!entry?.import?.default || !entry?.require?.default) return;
  try {
    const esm = await import(pathToFileURL(join(dir, entry.import.default)).href);
    const cjs = createRequire(join(dir, "package.json"))(join(dir, entry.require.default));
    const a = Object.keys(esm)
      .filter((k) => k !== "default")
      .sort()
      .join(",");
    const b = Object.keys(cjs).sort().join(",");
    if (a !== b) problems.push(`${pkg.name}: ESM and CJS builds export different names`);
  } catch (error) {
    problems.push(`${pkg.name}: built entry fails to load: ${error.message}`);
  }
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`check-exports: ${checked} exported paths exist and load`);
