// Debian's Chromium for browser tests: makes sure /usr/bin/chromium is
// installed and says how to launch it. Never downloads a browser build:
// tests drive it with playwright-core (which ships no browser) through
// `executablePath`. A missing Chromium is installed with apt when running as
// root (as scripts/test-services does for Redis); otherwise the error names
// the exact command to run.
//
//   import { ensureChromium, chromiumLaunchOptions } from "../../scripts/browser/chromium.mjs";
//   const executablePath = await ensureChromium();
//   const { userDataDir, options, cleanup } = chromiumLaunchOptions();
//   const context = await chromium.launchPersistentContext(userDataDir, options);
//
// As a command, prints the path (installing first when needed):
//   CHROMIUM_PATH="$(node scripts/browser/chromium.mjs)"
import { spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** The command that installs it (run as root). */
export const APT_INSTALL = "apt-get update && apt-get install -y chromium";

/**
 * Flags for a quiet, reproducible headless run: no GPU, no sandbox (root in a
 * container), no QUIC, and nothing that phones home (component updates,
 * sync, background networking). The user data dir comes from
 * {@link chromiumLaunchOptions}, fresh for every launch.
 */
export const CHROMIUM_ARGS = Object.freeze([
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]);

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk) => {
      output = (output + chunk.toString()).slice(-64_000);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", (error) =>
      reject(new Error(`${command}: ${error.message}`, { cause: error })),
    );
    child.on("close", (code, signal) => {
      if (code === 0) return resolve(output);
      const status = signal ? `signal ${signal}` : `exit code ${code}`;
      reject(new Error(`\`${[command, ...args].join(" ")}\` failed (${status})\n${output.trim()}`));
    });
  });
}

let installing;

/**
 * Resolves with the Chromium path: `/usr/bin/chromium` (or
 * `SWITCHYARD_CHROMIUM` when set), installing the Debian package first when
 * it is missing and this process is root. Rejects, naming the command to
 * run, when it is missing and this process is not root.
 */
export async function ensureChromium({ log = () => {} } = {}) {
  const path = process.env.SWITCHYARD_CHROMIUM || CHROMIUM_PATH;
  if (isExecutable(path)) return path;
  if (path !== CHROMIUM_PATH) {
    throw new Error(`SWITCHYARD_CHROMIUM is set to ${path}, which is not an executable file.`);
  }
  if (!isRoot()) {
    throw new Error(
      `Chromium is not installed (${CHROMIUM_PATH} is missing) and this process is not root, ` +
        `so it cannot install it. Run:\n  sudo sh -c '${APT_INSTALL}'`,
    );
  }
  installing ??= install(log).finally(() => {
    installing = undefined;
  });
  await installing;
  return CHROMIUM_PATH;
}

async function install(log) {
  log(`${CHROMIUM_PATH} not found; installing Debian's Chromium: ${APT_INSTALL}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // Wait for a concurrent apt (another test process installing the same package).
  const apt = ["-o", "DPkg::Lock::Timeout=600", "-o", "Dpkg::Use-Pty=0"];
  try {
    await run("apt-get", [...apt, "update", "-qq"], env);
    await run("apt-get", [...apt, "install", "-y", "-qq", "chromium"], env);
  } catch (error) {
    throw new Error(
      `Installing Chromium failed; run \`${APT_INSTALL}\` by hand.\n${error.message}`,
      {
        cause: error,
      },
    );
  }
  if (!isExecutable(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is still missing after \`${APT_INSTALL}\``);
  }
  log(`installed ${CHROMIUM_PATH}`);
}

/**
 * Options for playwright-core's `chromium.launchPersistentContext(userDataDir, options)`:
 * Debian's Chromium, headless, {@link CHROMIUM_ARGS}, and a fresh user data
 * dir (Playwright passes it as `--user-data-dir`). Call `cleanup()` after
 * closing the context.
 */
export function chromiumLaunchOptions({ executablePath = CHROMIUM_PATH } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), "switchyard-chromium-"));
  return {
    userDataDir,
    options: { executablePath, headless: true, args: [...CHROMIUM_ARGS] },
    cleanup: () => rmSync(userDataDir, { recursive: true, force: true }),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const path = await ensureChromium({ log: (m) => process.stderr.write(`[chromium] ${m}\n`) });
    process.stdout.write(`${path}\n`);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
