#!/usr/bin/env node
// Runs a command with real test services around it:
//
//   node scripts/with-test-services.mjs -- <command...>
//
// starts one PostgreSQL and one redis-server on free loopback ports (unless
// DATABASE_URL / REDIS_URL are already set), passes DATABASE_URL and
// REDIS_URL to the command, stops what it started when the command ends (also
// on failure, SIGINT, SIGTERM, SIGHUP), and exits with the command's exit code.
// Options before `--`: `--only postgres` or `--only redis` starts just one.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestServices } from "./test-services/index.mjs";

const log = (message) => process.stderr.write(`[test-services] ${message}\n`);

const argv = process.argv.slice(2);
const separator = argv.indexOf("--");
const command = separator === -1 ? [] : argv.slice(separator + 1);
const ownArgs = separator === -1 ? argv : argv.slice(0, separator);
if (command.length === 0) {
  process.stderr.write(
    "usage: node scripts/with-test-services.mjs [--only postgres|redis] -- <command...>\n",
  );
  process.exit(2);
}
const onlyIndex = ownArgs.indexOf("--only");
const services = onlyIndex === -1 ? ["postgres", "redis"] : [ownArgs[onlyIndex + 1]];

let child;
let receivedSignal;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    receivedSignal ??= signal;
    if (child && child.exitCode === null) child.kill(signal);
  });
}

const exitCodeFor = (signal) => 128 + (constants.signals[signal] ?? 1);

let handle;
try {
  handle = await startTestServices({ services, log });
} catch (error) {
  log(error.message);
  process.exit(receivedSignal ? exitCodeFor(receivedSignal) : 1);
}

let exitCode;
if (receivedSignal) {
  exitCode = exitCodeFor(receivedSignal);
} else {
  // Let `turbo`, `vitest`, ... resolve from the repo's node_modules/.bin even when run with plain node.
  const bin = join(fileURLToPath(new URL("..", import.meta.url)), "node_modules", ".bin");
  const env = {
    ...process.env,
    ...handle.env,
    PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
  };
  exitCode = await new Promise((resolve) => {
    child = spawn(command[0], command.slice(1), { stdio: "inherit", env });
    child.on("error", (error) => {
      log(`could not run ${command[0]}: ${error.message}`);
      resolve(127);
    });
    child.on("exit", (code, signal) => resolve(code ?? exitCodeFor(signal)));
  });
}

try {
  await handle.stop();
} catch (error) {
  log(error.message);
  if (exitCode === 0) exitCode = 1;
}
process.exit(exitCode);
