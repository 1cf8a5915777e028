// Small process helpers for the test-services harness: run a command to
// completion (output captured, thrown on failure) and find executables.
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** True when this process runs as root (Postgres then runs as the `postgres` user). */
export function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/**
 * Runs a command and resolves with its combined output; rejects with an error
 * that carries the command line and the output when it exits non-zero.
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", options.inherit ? "inherit" : "pipe", options.inherit ? "inherit" : "pipe"],
    });
    let output = "";
    const collect = (chunk) => {
      output += chunk.toString();
      if (output.length > 64_000) output = output.slice(-64_000);
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    child.on("error", (error) =>
      reject(new Error(`${command}: ${error.message}`, { cause: error })),
    );
    child.on("close", (code, signal) => {
      if (code === 0) return resolve(output);
      const status = signal ? `signal ${signal}` : `exit code ${code}`;
      const line = [command, ...args].join(" ");
      reject(new Error(`\`${line}\` failed (${status})\n${output.trim()}`));
    });
  });
}

/** The absolute path of an executable found on PATH (plus the sbin dirs), or undefined. */
export function which(name) {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  for (const extra of ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin"]) {
    if (!dirs.includes(extra)) dirs.push(extra);
  }
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
