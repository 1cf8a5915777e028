/** Where the memory stores report problems that must not fail the caller (a throwing watcher, a clamped token count). */
export interface MemoryStoreLogger {
  warn(message: string, context?: Record<string, unknown>): void;
}

export const consoleLogger: MemoryStoreLogger = {
  warn(message, context) {
    console.warn(message, context ?? {});
  },
};
