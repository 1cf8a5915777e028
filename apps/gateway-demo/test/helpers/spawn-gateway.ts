import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface SpawnedGateway {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything written to stdout so far. */
  output(): string;
  /** SIGTERM, then the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Runs the gateway's sources (`src/main.ts` through tsx, so no build is needed and the
 * child runs the code under test; `pnpm start` runs the build of the same entry,
 * `dist/main.js`) as its own process, and waits for its listening line.
 */
export async function spawnGateway(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 20_000,
): Promise<SpawnedGateway> {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "src/main.ts", ...args],
    {
      cwd: APP_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `gateway did not start within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, timeoutMs);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    });
  });
  return {
    child,
    url,
    output: () => stdout,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The environment for a child gateway: no inherited DATABASE_URL / REDIS_URL unless given. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, REDIS_URL: _redis, SWITCHYARD_CONFIG: _cfg, ...rest } = process.env;
  return { ...rest, ...extra };
}
