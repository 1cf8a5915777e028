/** Where the store reports problems that must not fail the caller (a throwing watcher). */
export interface MemoryStoreLogger {
  warn(message: string, context?: Record<string, unknown>): void;
}

export const consoleLogger: MemoryStoreLogger = {
  warn(message, context) {
    console.warn(message, context ?? {});
  },
};
