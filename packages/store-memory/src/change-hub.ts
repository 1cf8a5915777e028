import type { RouteChange, RouteChangeFeed, RouteChangeSubscription } from "@switchyard/core";
import type { MemoryStoreLogger } from "./logger.js";

type Listener = { readonly onChange: (change: RouteChange) => void };

/**
 * The in-process change feed: every subscriber gets every change, in order,
 * each delivered in its own microtask (after the write returned), so a slow or
 * throwing subscriber never fails the write or starves the others.
 */
export class ChangeHub implements RouteChangeFeed {
  readonly #listeners = new Set<Listener>();
  readonly #logger: MemoryStoreLogger;

  constructor(logger: MemoryStoreLogger) {
    this.#logger = logger;
  }

  async watch(onChange: (change: RouteChange) => void): Promise<RouteChangeSubscription> {
    const listener: Listener = { onChange };
    this.#listeners.add(listener);
    return {
      close: async () => {
        this.#listeners.delete(listener);
      },
    };
  }

  emit(change: RouteChange): void {
    for (const listener of this.#listeners) {
      queueMicrotask(() => {
        if (!this.#listeners.has(listener)) return; // closed after the change was queued
        try {
          listener.onChange(change);
        } catch (error) {
          this.#logger.warn(
            "memory routing store: a watch callback threw; the change was still applied",
            {
              change,
              error,
            },
          );
        }
      });
    }
  }

  get size(): number {
    return this.#listeners.size;
  }
}
