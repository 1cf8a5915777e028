import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The page is served by the gateway under /dashboard/ (see serveDashboard):
 * `dist/index.html` plus content-hashed files in `dist/assets/`, everything
 * bundled (no CDN, no runtime fetch of code).
 */
export default defineConfig({
  base: "/dashboard/",
  root: fileURLToPath(new URL(".", import.meta.url)),
  publicDir: "public",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2022",
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    // `npx vite` for work on the page: API calls go to a gateway on :8787.
    proxy: { "/v1": "http://127.0.0.1:8787" },
  },
});
