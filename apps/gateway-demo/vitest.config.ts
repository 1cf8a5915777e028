import { defineConfig } from "vitest/config";
import { sharedReporters, workspaceSourceAliases } from "../../vitest.shared.js";

export default defineConfig({
  resolve: { alias: workspaceSourceAliases() },
  test: {
    include: ["test/**/*.test.ts"],
    reporters: sharedReporters,
    // Starts PostgreSQL and Redis when run without scripts/with-test-services.mjs (no DATABASE_URL / REDIS_URL).
    globalSetup: ["../../scripts/test-services/vitest-all.mjs"],
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
