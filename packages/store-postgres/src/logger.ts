/** Where the store reports what it skips or retries (malformed rows, lost LISTEN connections). */
export interface RoutesLogger {
  warn(message: string, context?: Record<string, unknown>): void;
}

export const consoleLogger: RoutesLogger = {
  warn(message, context) {
    console.warn(message, context ?? {});
  },
};

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
