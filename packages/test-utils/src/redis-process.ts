import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
// @ts-expect-error: plain ESM helper of the repository's test harness
import { ensureRedisServer, ping } from "../../../scripts/test-services/redis.mjs";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * A redis-server of the test's own on a fixed port, so an outage (kill,
 * restart, pause) never touches the run's shared server.
 */
export class RedisProcess {
  private child: ChildProcess | undefined;

  private constructor(
    private readonly binary: string,
    readonly port: number,
  ) {}

  /** Starts on a free port (another one if the port was taken meanwhile). */
  static async start(): Promise<RedisProcess> {
    const binary: string = await ensureRedisServer();
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const server = new RedisProcess(binary, await freePort());
      try {
        await server.resume();
        return server;
      } catch (error) {
        lastError = error;
        await server.kill();
      }
    }
    throw lastError;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, empty: no persistence) and waits until it answers PING. */
  async resume(): Promise<void> {
    const args = [
      "--port",
      String(this.port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
    ];
    const child = spawn(this.binary, args, { stdio: "ignore" });
    this.child = child;
    let exited = false;
    child.once("exit", () => {
      exited = true;
    });
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (exited) throw new Error(`redis-server on ${this.port} exited (port taken?)`);
      if (
        await ping("127.0.0.1", this.port, 500).then(
          () => true,
          () => false,
        )
      )
        return;
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** SIGKILL (an outage, not a shutdown) of this server's own process, by its pid; waits for its exit. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}
