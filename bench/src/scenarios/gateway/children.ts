import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { request } from "undici";

/** A process the benchmark started; stopped by its pid only. */
export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  /** Set once the process has exited. */
  exit: number | string | undefined;
}

/**
 * Environment for the children: the bench command's services (Postgres,
 * Redis) and any gateway overrides are removed, so the gateway runs on its
 * in-memory default and no `NODE_OPTIONS` of the caller leaks in.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === "DATABASE_URL" || name === "REDIS_URL" || name === "NODE_OPTIONS") continue;
    if (name.startsWith("SWITCHYARD_")) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** Starts and tracks child processes; everything started is stopped by pid in `stopAll`. */
export class Children {
  private readonly running = new Map<number, Child>();

  constructor(private readonly logDir: string) {}

  spawn(
    name: string,
    args: readonly string[],
    options: { cwd: string; env: NodeJS.ProcessEnv },
  ): Child {
    const logPath = join(this.logDir, `${name}.log`);
    const fd = openSync(logPath, "a");
    let proc: ChildProcess;
    try {
      proc = spawn(process.execPath, args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ["ignore", fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    const pid = proc.pid;
    if (pid === undefined) throw new Error(`${name}: could not start ${args.join(" ")}`);
    const child: Child = {
      name,
      pid,
      logPath,
      exit: undefined,
      exited: new Promise((resolve) => {
        proc.once("exit", (code, signal) => {
          child.exit = code ?? signal ?? "unknown";
          this.running.delete(pid);
          resolve(child.exit);
        });
        proc.once("error", (error) => {
          child.exit = `error: ${error.message}`;
          this.running.delete(pid);
          resolve(child.exit);
        });
      }),
    };
    this.running.set(pid, child);
    return child;
  }

  /** SIGTERM by pid, then SIGKILL by pid if it has not exited within `graceMs`. */
  async stop(child: Child, graceMs = 8_000): Promise<void> {
    if (child.exit !== undefined) return;
    signalPid(child.pid, "SIGTERM");
    const timedOut = Symbol("timeout");
    const result = await Promise.race([child.exited, sleep(graceMs, timedOut)]);
    if (result === timedOut && child.exit === undefined) {
      signalPid(child.pid, "SIGKILL");
      await child.exited;
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.values()].map((child) => this.stop(child)));
  }

  /** Last resort from an `exit` handler: SIGKILL every child still running, by pid. */
  killAllSync(): void {
    for (const pid of this.running.keys()) signalPid(pid, "SIGKILL");
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    } catch {
      ticksPerSecond = 100;
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

/** User + system CPU time of a process (all its threads) in ms, from `/proc/<pid>/stat`. */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name may contain spaces: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicks();
}

/** A free loopback port (bound and released; the child binds it right after). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Polls `url` until it answers 2xx; fails when the child exits first or after `timeoutMs`. */
export async function waitReady(child: Child, url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exit !== undefined) {
      throw new ChildExitError(child, `${child.name} exited (${child.exit}) before it was ready`);
    }
    try {
      const res = await request(url, { headersTimeout: 1_000, bodyTimeout: 1_000 });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) return;
      last = `status ${res.statusCode}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(100);
  }
  throw new ChildExitError(child, `${child.name} not ready after ${timeoutMs} ms (${last})`);
}

/** A child that failed to start; carries the tail of its log. */
export class ChildExitError extends Error {
  readonly exitCode: number | string | undefined;
  readonly log: string;

  constructor(child: Child, message: string) {
    const log = tail(child.logPath, 2_000);
    super(`${message}\n--- ${child.logPath} (tail) ---\n${log}`);
    this.exitCode = child.exit;
    this.log = log;
  }
}

function tail(path: string, chars: number): string {
  try {
    const text = readFileSync(path, "utf8");
    return text.slice(-chars);
  } catch {
    return "(no log)";
  }
}
