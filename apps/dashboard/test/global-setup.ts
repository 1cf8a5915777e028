// vitest globalSetup: builds the page into dist/ (the browser test serves
// exactly what the gateway will serve) and makes sure Debian's Chromium is
// installed (apt-get as root when missing; never a downloaded browser).
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { ensureChromium } from "../../../scripts/browser/chromium.mjs";

export default async function setup(): Promise<void> {
  const log = (message: string) => process.stderr.write(`[dashboard] ${message}\n`);
  await build({
    configFile: fileURLToPath(new URL("../vite.config.ts", import.meta.url)),
    logLevel: "warn",
  });
  log("built dist/");
  const chromium = await ensureChromium({ log });
  log(`browser: ${chromium}`);
}
