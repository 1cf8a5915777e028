#!/usr/bin/env node
// The architecture check (README "Architecture"): the import rules of
// .dependency-cruiser.cjs over apps/, packages/ and bench/, then "folders
// import one way" inside every src/: each top-level folder of a src/ (and each
// file directly in it) is one unit, and no two units may import each other,
// directly or around a loop. Type-only imports count. Exits 1 on any violation.
import { cruise, format } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";

const root = new URL("..", import.meta.url).pathname;
process.chdir(root);

const options = await extractDepcruiseOptions("./.dependency-cruiser.cjs");
const { output: result } = await cruise(["apps", "packages", "bench"], options);

const report = await format(result, { outputType: "err" });
process.stdout.write(report.output);

const cycles = folderCycles(result.modules);
for (const cycle of cycles) {
  console.log(`error folder-cycle: ${cycle.root} — ${cycle.units.join(", ")} import each other:`);
  for (const line of cycle.examples) console.log(`    ${line}`);
}
if (cycles.length > 0) console.log(`\nx ${cycles.length} folder cycle(s).`);
else console.log("✔ no folder cycles in any src/.");

process.exit(report.exitCode > 0 || cycles.length > 0 ? 1 : 0);

/** `apps/x/src/a/b.ts` -> { root: "apps/x/src", unit: "a/" }; `apps/x/src/main.ts` -> unit "main.ts". */
function unitOf(path) {
  const match = /^((?:apps|packages)\/[^/]+\/src|bench\/src)\/([^/]+)(\/)?/.exec(path);
  if (!match) return undefined;
  return { root: match[1], unit: match[3] ? `${match[2]}/` : match[2] };
}

/** The strongly connected components (over one unit) of each src/'s unit graph. */
function folderCycles(modules) {
  const edges = new Map(); // "root\0unit" -> Map(target unit key -> example import)
  for (const module of modules) {
    const from = unitOf(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = unitOf(dependency.resolved);
      if (!to || to.root !== from.root || to.unit === from.unit) continue;
      const fromKey = `${from.root}\0${from.unit}`;
      const targets = edges.get(fromKey) ?? new Map();
      edges.set(fromKey, targets);
      const toKey = `${to.root}\0${to.unit}`;
      if (!targets.has(toKey)) targets.set(toKey, `${module.source} -> ${dependency.resolved}`);
    }
  }
  return stronglyConnected(edges).map((component) => {
    const members = new Set(component);
    const examples = component.flatMap((key) =>
      [...(edges.get(key) ?? new Map())].filter(([to]) => members.has(to)).map(([, line]) => line),
    );
    const units = component.map((key) => key.split("\0")[1]).sort();
    return { root: component[0].split("\0")[0], units, examples: examples.sort() };
  });
}

/** Tarjan's algorithm; returns the components with more than one node. */
function stronglyConnected(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of edges.get(node)?.keys() ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node), index.get(target)));
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) components.push(component);
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return components;
}
