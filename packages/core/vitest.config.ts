import { defineConfig } from "vitest/config";
import { sharedReporters, workspaceSourceAliases } from "../../vitest.shared.js";

export default defineConfig({
  resolve: { alias: workspaceSourceAliases() },
  test: {
    include: ["test/**/*.test.ts"],
    reporters: sharedReporters,
    // CPU-heavy tests (property runs, soaks) share 2 cores with every other package in CI.
    testTimeout: 30_000,
  },
});
