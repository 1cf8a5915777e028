// Shared vitest settings: every workspace package resolves its @switchyard/*
// dependencies to their TypeScript sources, so tests never need a prior build.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));

export function workspaceSourceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const group of ["packages", "apps"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const manifest = join(dir, name, "package.json");
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
        name: string;
        exports?: Record<string, { source?: string } | string>;
      };
      for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
        if (typeof target !== "object" || !target.source) continue;
        const specifier = subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
        aliases[specifier] = join(dir, name, target.source);
      }
    }
  }
  return aliases;
}

/**
 * Reporters for every package: the usual console output plus a JSON report
 * that `scripts/test-summary.mjs` adds up into one closing line for CI.
 */
export const sharedReporters: Array<string | [string, Record<string, unknown>]> = [
  "default",
  ["json", { outputFile: ".test-results/vitest.json" }],
];
