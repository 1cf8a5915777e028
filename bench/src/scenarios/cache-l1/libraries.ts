import { L1Cache } from "@switchyard/cache-l1";
import { createCache } from "async-cache-dedupe";
import { BentoCache, bentostore } from "bentocache";
import { memoryDriver } from "bentocache/drivers/memory";
import { LRUCache } from "lru-cache";

/** The cached value: one small object shared by every entry (values are not what is measured). */
export interface Value {
  readonly id: number;
}

export const SHARED_VALUE: Value = Object.freeze({ id: 1 });

/** Long enough that nothing expires during a run. */
export const TTL_MS = 600_000;

/** A source: `load(key)` resolves (or rejects) like a backend would. */
export type Loader = (key: string) => Promise<Value>;

/** One library seen through a cache-aside `get`; used where call overhead is not what is timed. */
export interface AsyncLibrary {
  readonly name: string;
  get(key: string): Promise<unknown>;
  close(): Promise<void>;
}

export type LibraryName = "ours" | "lru-cache" | "bentocache" | "async-cache-dedupe";

export const ASYNC_LIBRARIES: readonly LibraryName[] = [
  "ours",
  "lru-cache",
  "bentocache",
  "async-cache-dedupe",
];

export function createOurs(loader: Loader, capacity: number): L1Cache<string, Value> {
  return new L1Cache<string, Value>((key) => loader(key), {
    ttlMs: TTL_MS,
    maxEntries: capacity,
  });
}

export function createLru(loader: Loader, capacity: number): LRUCache<string, Value> {
  return new LRUCache<string, Value>({
    max: capacity,
    ttl: TTL_MS,
    fetchMethod: (key) => loader(key),
  });
}

export function createBento(
  capacity: number,
): BentoCache<{ memory: ReturnType<typeof bentostore> }> {
  return new BentoCache({
    default: "memory",
    stores: { memory: bentostore().useL1Layer(memoryDriver({ maxItems: capacity })) },
  });
}

export interface Dedupe {
  load(key: string): Promise<Value>;
}

export function createDedupe(loader: Loader, capacity: number): Dedupe {
  const cache = createCache({
    ttl: TTL_MS / 1000,
    storage: { type: "memory", options: { size: capacity } },
  });
  return cache.define("load", { serialize: (key: string) => key }, (key: string) => loader(key));
}

/** A fresh instance of `name` over `loader`, behind the common cache-aside shape. */
export function createLibrary(name: LibraryName, loader: Loader, capacity: number): AsyncLibrary {
  switch (name) {
    case "ours": {
      const cache = createOurs(loader, capacity);
      return { name, get: (key) => cache.get(key), close: () => cache.close() };
    }
    case "lru-cache": {
      const cache = createLru(loader, capacity);
      return {
        name,
        get: (key) => cache.fetch(key),
        close: async () => cache.clear(),
      };
    }
    case "bentocache": {
      const cache = createBento(capacity);
      return {
        name,
        get: (key) => cache.getOrSet({ key, ttl: TTL_MS, factory: () => loader(key) }),
        close: () => cache.disconnectAll(),
      };
    }
    case "async-cache-dedupe": {
      const cache = createDedupe(loader, capacity);
      return { name, get: (key) => cache.load(key), close: async () => {} };
    }
  }
}
