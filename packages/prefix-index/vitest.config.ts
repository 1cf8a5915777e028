import { defineConfig } from "vitest/config";
import { sharedReporters, workspaceSourceAliases } from "../../vitest.shared.js";

export default defineConfig({
  resolve: { alias: workspaceSourceAliases() },
  test: { include: ["test/**/*.test.ts"], reporters: sharedReporters },
});
