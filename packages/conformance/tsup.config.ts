import { defineConfig } from "tsup";

// ESM only: vitest, which the suites are built on, cannot be loaded with require().
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
});
