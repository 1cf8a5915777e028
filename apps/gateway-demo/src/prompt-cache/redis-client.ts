import { Redis } from "ioredis";
import type { Logger } from "../log/logger.js";

/**
 * Fails fast while Redis is away (no offline queue, no per-command retries),
 * so the accelerator falls back to the baseline at once; reconnects on its own.
 */
export function redisClient(url: string, logger: Logger): Redis {
  const client = new Redis(url, {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
  });
  let down = false;
  client.on("error", (error: unknown) => {
    if (down) return;
    down = true;
    logger.warn({ err: error }, "prompt cache: redis unavailable; using the baseline index");
  });
  client.on("ready", () => {
    if (down) logger.info("prompt cache: redis is back");
    down = false;
  });
  return client;
}

export function waitReady(client: Redis, ms: number): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.once("ready", done);
  });
}

export async function quit(client: Redis): Promise<void> {
  if (client.status !== "ready") {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.quit().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, 1_000);
    }),
  ]);
  clearTimeout(timer);
  client.disconnect();
}
