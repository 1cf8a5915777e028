import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
// @ts-expect-error: plain ESM helper of the repository's test harness
import { ensureRedisServer } from "../../../scripts/test-services/redis.mjs";

const run = promisify(execFile);

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

/** A throwaway 3-master Redis Cluster on loopback (no replicas, no persistence). */
export class RedisCluster {
  private constructor(
    readonly ports: number[],
    private readonly children: ChildProcess[],
    private readonly dir: string,
  ) {}

  static async start(): Promise<RedisCluster> {
    const binary: string = await ensureRedisServer();
    const cli = join(dirname(binary), "redis-cli");
    const dir = mkdtempSync(join(tmpdir(), "sy-redis-cluster-"));
    const ports: number[] = [];
    const children: ChildProcess[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      ports.push(port);
      const args = [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        join(dir, `nodes-${port}.conf`),
        "--dir",
        dir,
      ];
      children.push(spawn(binary, args, { stdio: "ignore" }));
    }
    const cluster = new RedisCluster(ports, children, dir);
    for (const port of ports) await cluster.waitFor(cli, port, "PING", "PONG");
    await run(cli, [
      "--cluster",
      "create",
      ...ports.map((p) => `127.0.0.1:${p}`),
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ]);
    for (const port of ports) await cluster.waitFor(cli, port, "CLUSTER INFO", "cluster_state:ok");
    return cluster;
  }

  get nodes(): Array<{ host: string; port: number }> {
    return this.ports.map((port) => ({ host: "127.0.0.1", port }));
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve(undefined);
            child.once("exit", resolve);
            child.kill("SIGKILL");
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitFor(
    cli: string,
    port: number,
    command: string,
    expected: string,
  ): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const { stdout } = await run(cli, ["-p", String(port), ...command.split(" ")]);
        if (stdout.includes(expected)) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline)
        throw new Error(`redis node ${port}: no "${expected}" from ${command}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
