import { defineConfig } from "tsup";

// The gateway as `start` runs it: one ESM file, dist/main.js (plus its source map).
// Only the app's own sources are bundled; npm packages and the @switchyard/*
// workspace packages stay imports, resolved at run time to their own builds
// (turbo builds those first: `dependsOn: ["^build"]`).
export default defineConfig({
  entry: ["src/main.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  dts: false,
  skipNodeModulesBundle: true,
  removeNodeProtocol: false,
  external: [/^@switchyard\//],
});
