// Checks on the repository's package manifests (run here, with the other
// workspace-wide checks the dashboard's test run hosts): one supported Node
// range everywhere, and every published package ships the MIT licence text
// and says where its source lives.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url);
const REPOSITORY = "git+https://github.com/switchyard-dev/switchyard.git";
const COPYRIGHT = "Copyright (c) 2026 The Switchyard authors";

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  engines?: { node?: string };
  files?: string[];
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
}

const manifest = (path: string) =>
  JSON.parse(readFileSync(new URL(path, ROOT), "utf8")) as Manifest;

const workspaceDirs = ["packages", "apps"].flatMap((dir) =>
  readdirSync(new URL(`${dir}/`, ROOT), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${dir}/${entry.name}`),
);
const publishedDirs = workspaceDirs.filter(
  (dir) => dir.startsWith("packages/") && !manifest(`${dir}/package.json`).private,
);

describe("engines", () => {
  it("the root declares Node >=20, and every workspace declares the same", () => {
    expect(manifest("package.json").engines?.node).toBe(">=20");
    const declared = [...workspaceDirs, "bench"].map((dir) => {
      const { name, engines } = manifest(`${dir}/package.json`);
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

describe("published packages", () => {
  it("there are some, and the root has the MIT licence too", () => {
    expect(publishedDirs.length).toBeGreaterThanOrEqual(7);
    const text = readFileSync(new URL("LICENSE", ROOT), "utf8");
    expect(text.startsWith("MIT License\n")).toBe(true);
    expect(text).toContain(COPYRIGHT);
  });

  it.each(publishedDirs)("%s ships LICENSE (MIT) and names its repository", (dir) => {
    const pkg = manifest(`${dir}/package.json`);
    expect(pkg.license).toBe("MIT");
    expect(readFileSync(new URL(`${dir}/LICENSE`, ROOT), "utf8")).toBe(
      readFileSync(new URL("LICENSE", ROOT), "utf8"),
    );
    expect(pkg.files).toContain("LICENSE");
    expect(pkg.repository).toEqual({ type: "git", url: REPOSITORY, directory: dir });
    expect(pkg.homepage).toBe(
      `https://github.com/switchyard-dev/switchyard/tree/main/${dir}#readme`,
    );
    expect(pkg.bugs).toEqual({ url: "https://github.com/switchyard-dev/switchyard/issues" });
    // What npm would publish: the tarball lists LICENSE next to the README.
    const cwd = fileURLToPath(new URL(dir, ROOT));
    expect(existsSync(`${cwd}/README.md`)).toBe(true);
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    ) as Array<{ files: Array<{ path: string }> }>;
    expect(packed[0]?.files.map((file) => file.path)).toEqual(
      expect.arrayContaining(["LICENSE", "README.md", "package.json"]),
    );
  });
});
