import { defineConfig } from "vitest/config";
import { sharedReporters, workspaceSourceAliases } from "../../vitest.shared.js";

export default defineConfig({
  resolve: { alias: workspaceSourceAliases() },
  test: {
    include: ["test/**/*.test.ts"],
    reporters: sharedReporters,
    // Starts PostgreSQL when run without scripts/with-test-services.mjs (no DATABASE_URL).
    globalSetup: ["../../scripts/test-services/vitest-postgres.mjs"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
