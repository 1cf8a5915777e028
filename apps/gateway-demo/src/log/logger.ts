import pino, { type Logger } from "pino";
import type { LogLevel } from "../config/types.js";

export type { Logger };

/** Lines are written in batches of 4 KiB, and at least once a second. */
const FLUSH_INTERVAL_MS = 1_000;

/**
 * JSON lines on stdout through an asynchronous, batching destination: no
 * blocking write (and no syscall) per request. A timer flushes at least
 * once a second so a quiet gateway's lines still appear promptly.
 * The gateway never puts a key or a header in a log record.
 */
export function createLogger(level: LogLevel): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const timer = setInterval(() => {
    try {
      destination.flush();
    } catch {
      // not ready or already closed: the next tick retries
    }
  }, FLUSH_INTERVAL_MS);
  timer.unref();
  return pino({ level, base: { service: "switchyard-gateway" } }, destination);
}

/** Resolves once buffered lines are written (bounded wait, for shutdown). */
export function flushLogger(logger: Logger, timeoutMs = 1_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    try {
      logger.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** Adapts pino to the stores' `{ warn(message, context) }` logger. */
export function storeLogger(logger: Logger): {
  warn(message: string, context?: Record<string, unknown>): void;
} {
  return { warn: (message, context) => logger.warn(context ?? {}, message) };
}
