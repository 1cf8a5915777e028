import { fileURLToPath } from "node:url";

/**
 * Absolute path of the built page (`apps/dashboard/dist`: `index.html` and
 * hashed `assets/`), produced by the package's `build` script. The same
 * whether this module runs from `src/server` or from the compiled `dist-node/server`.
 */
export function dashboardAssetsDir(): string {
  return fileURLToPath(new URL("../../dist/", import.meta.url)).replace(/[\\/]$/, "");
}
