// Starts a throwaway redis-server on a free loopback port as a child process
// (no persistence), waits until it answers PING, and stops it on stop().
// A missing redis-server is installed with apt when running as root; otherwise
// the error names the exact command to run.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.mjs";
import { isRoot, run, sleep, which } from "./process.mjs";

const APT_INSTALL = "apt-get update && apt-get install -y redis-server";

/** The redis-server path, installing the Debian package first when missing and running as root. */
export async function ensureRedisServer({ log = () => {} } = {}) {
  const found = process.env.SWITCHYARD_REDIS_SERVER ?? which("redis-server");
  if (found) return found;
  if (!isRoot()) {
    throw new Error(
      `redis-server is not installed and this process is not root, so it cannot install it. Run:\n` +
        `  sudo sh -c '${APT_INSTALL}'\n` +
        "or set REDIS_URL to a Redis server you already run.",
    );
  }
  log(`redis-server not found; installing it: ${APT_INSTALL}`);
  const env = {
    ...process.env,
    DEBIAN_FRONTEND: "noninteractive",
    // Keep the package's init script from starting a system-wide redis.
    RUNLEVEL: "1",
  };
  const apt = ["-o", "DPkg::Lock::Timeout=300", "-o", "Dpkg::Use-Pty=0"];
  try {
    await run("apt-get", [...apt, "update", "-qq"], { env });
    await run(
      "apt-get",
      [...apt, "install", "-y", "-qq", "--no-install-recommends", "redis-server"],
      {
        env,
      },
    );
  } catch (error) {
    throw new Error(
      `Installing redis-server failed; run \`${APT_INSTALL}\` by hand.\n${error.message}`,
      {
        cause: error,
      },
    );
  }
  const installed = which("redis-server");
  if (!installed) throw new Error(`redis-server is still missing after \`${APT_INSTALL}\``);
  return installed;
}

/** Resolves when the server answers PING with PONG; rejects on any other outcome. */
export function ping(host, port, timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let reply = "";
    const fail = (error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(timeoutMs, () => fail(new Error("PING timed out")));
    socket.on("error", fail);
    socket.on("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (!reply.includes("\r\n")) return;
      socket.end();
      if (reply.startsWith("+PONG")) resolve();
      else reject(new Error(`unexpected reply to PING: ${reply.trim()}`));
    });
  });
}

/** Starts redis-server; resolves with `{ url, stop }`. */
export async function startRedis({ log = () => {} } = {}) {
  const server = await ensureRedisServer({ log });
  const dir = mkdtempSync(join(tmpdir(), "switchyard-redis-"));
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--daemonize",
    "no",
    "--dir",
    dir,
    // Room for one logical database per test file (see @switchyard/test-utils).
    "--databases",
    "64",
  ];
  const child = spawn(server, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let exitInfo;
  exited.then((info) => {
    exitInfo = info;
  });
  child.once("error", (error) => {
    exitInfo = { code: null, signal: null, error };
  });

  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  const kill = async () => {
    if (exitInfo === undefined) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    cleanup();
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exitInfo !== undefined) {
      cleanup();
      const why =
        exitInfo.error?.message ?? `exit code ${exitInfo.code}, signal ${exitInfo.signal}`;
      throw new Error(`redis-server exited before it answered PING (${why})\n${output.trim()}`);
    }
    try {
      await ping("127.0.0.1", port, 500);
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await kill();
        throw new Error(
          `redis-server did not answer PING within 15 s: ${error.message}\n${output.trim()}`,
        );
      }
      await sleep(50);
    }
  }
  // Output is only needed for startup errors; stop buffering so the pipes never fill up.
  child.stdout.resume();
  child.stderr.resume();
  child.stdout.removeListener("data", collect);
  child.stderr.removeListener("data", collect);
  log(`redis-server listening on 127.0.0.1:${port} (pid ${child.pid})`);

  let stopped = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill();
      log(`redis-server on port ${port} stopped`);
    },
  };
}
