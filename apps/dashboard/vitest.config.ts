import { defineConfig } from "vitest/config";
import { sharedReporters, workspaceSourceAliases } from "../../vitest.shared.js";

export default defineConfig({
  resolve: { alias: workspaceSourceAliases() },
  test: {
    include: ["test/**/*.test.ts"],
    reporters: sharedReporters,
    // Builds the page into dist/ and makes sure Debian's Chromium is installed.
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
