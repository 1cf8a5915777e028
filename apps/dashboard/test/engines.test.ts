// The repository declares one supported Node range: every workspace's
// `engines.node` is the root's (the dashboard used to ask for Vite 7's 20.19).
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url);
const manifest = (path: string) =>
  JSON.parse(readFileSync(new URL(path, ROOT), "utf8")) as {
    name: string;
    engines?: { node?: string };
  };

const workspaces = ["packages", "apps"].flatMap((dir) =>
  readdirSync(new URL(`${dir}/`, ROOT), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${dir}/${entry.name}/package.json`),
);

describe("engines", () => {
  it("the root declares Node >=20, and every workspace declares the same", () => {
    expect(manifest("package.json").engines?.node).toBe(">=20");
    const declared = [...workspaces, "bench/package.json"].map((path) => {
      const { name, engines } = manifest(path);
      return `${name}: ${engines?.node}`;
    });
    expect(declared.length).toBeGreaterThan(8);
    expect(declared.filter((line) => !line.endsWith(": >=20"))).toEqual([]);
  });

  it("the Vite that builds the page supports every Node 20 (Vite 6, not 7's 20.19 floor)", () => {
    const require = createRequire(new URL("../package.json", import.meta.url));
    const vite = require("vite/package.json") as { version: string; engines: { node: string } };
    expect(vite.version).toMatch(/^6\./);
    expect(vite.engines.node.split("||").map((range) => range.trim())).toContain("^20.0.0");
  });
});
