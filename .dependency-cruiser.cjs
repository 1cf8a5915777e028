// The import rules the repository's layout promises (README "Architecture").
// Checked by `pnpm check-architecture` (scripts/check-architecture.mjs), which
// also checks that the top-level folders of every src/ import one way.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "core-imports-no-workspace-package",
      comment:
        "@switchyard/core holds the interfaces every other package implements, so it depends on none of them.",
      severity: "error",
      from: { path: "^packages/core/" },
      to: { path: "^(packages/(?!core/)|apps/|bench/)" },
    },
    {
      name: "packages-depend-only-on-core",
      comment:
        "A package's sources import @switchyard/core and nothing else of the workspace: implementations never depend on each other.",
      severity: "error",
      from: { path: "^packages/([^/]+)/src/" },
      to: { path: "^packages/", pathNot: ["^packages/core/", "^packages/$1/"] },
    },
    {
      name: "packages-never-import-apps",
      comment: "Published packages cannot depend on the apps (or the benchmarks) built on them.",
      severity: "error",
      from: { path: "^packages/" },
      to: { path: "^(apps|bench)/" },
    },
    {
      name: "no-circular",
      comment:
        "Imports go one way: no module reaches itself again through its imports (type-only imports included).",
      severity: "error",
      from: { path: "^(apps|packages)/" },
      to: { circular: true },
    },
    {
      name: "protocol-imports-nothing-of-the-app",
      comment:
        "The gateway's protocol/ module (shared types, isRecord) is the bottom layer: the rest of the app imports it, never the other way.",
      severity: "error",
      from: { path: "^apps/gateway-demo/src/protocol/" },
      to: { path: "^apps/gateway-demo/src/", pathNot: "^apps/gateway-demo/src/protocol/" },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import the checker cannot resolve would hide its edges from every other rule.",
      severity: "error",
      from: { path: "^(apps|packages)/" },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|dist|dist-node|coverage|\\.turbo)/" },
    // Type-only imports are edges too: a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    // Workspace packages resolve to their sources, as the tests and typecheck see them.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["source", "import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
