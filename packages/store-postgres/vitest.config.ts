import { defineProject } from "vitest/config";
import { workspaceSourceAliases } from "../../vitest.shared.js";

export default defineProject({
  resolve: { alias: workspaceSourceAliases() },
  test: { include: ["test/**/*.test.ts"] },
});
