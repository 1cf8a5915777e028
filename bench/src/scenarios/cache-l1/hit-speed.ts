import type { L1Cache } from "@switchyard/cache-l1";
import type { LRUCache } from "lru-cache";
import type { AsyncBatch, MeasureOptions, SyncBatch } from "../../lib/measure.js";
import type { Rng } from "../../lib/prng.js";
import { makeKeys } from "./heap.js";
import { interleaveAsync, interleaveSync, medians, pairedRatio, type Ratio } from "./interleave.js";
import {
  createBento,
  createDedupe,
  createLru,
  createOurs,
  type Dedupe,
  SHARED_VALUE,
  TTL_MS,
  type Value,
} from "./libraries.js";

export const HIT_KEYS = 100_000;
/** Length of the precomputed random key order (a power of two, so wrapping is a mask). */
export const ORDER_LENGTH = 1 << 20;
const MASK = ORDER_LENGTH - 1;
/** Fill concurrency for the async libraries. */
const FILL_BATCH = 1_000;

export interface HitSpeed {
  /** Median ops/s: our `peek`, `Map.get`, lru-cache `get`. */
  readonly sync: { readonly ours: number; readonly map: number; readonly lru: number };
  /** Median ops/s: awaited hits. */
  readonly awaited: {
    readonly ours: number;
    readonly lru: number;
    readonly bento: number;
    readonly dedupe: number;
  };
  /** Medians of per-round ratios (each round of the pair ran back to back), "how many times faster". */
  readonly ratios: {
    readonly mapOverPeek: Ratio;
    readonly peekOverLru: Ratio;
    readonly getOverFetch: Ratio;
    readonly getOverBento: Ratio;
    readonly getOverDedupe: Ratio;
  };
  /** Loads beyond the fill (should be 0: every timed lookup was a hit). */
  readonly extraLoads: number;
}

/** Each loop is written out (not shared through a callback) so every call site stays monomorphic. */
export function peekLoop(cache: L1Cache<string, Value>, order: string[]): SyncBatch {
  let pos = 0;
  return (count) => {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const value = cache.peek(order[pos] as string);
      pos = (pos + 1) & MASK;
      if (value !== undefined) sum += value.id;
    }
    return sum;
  };
}

export function mapLoop(map: Map<string, Value>, order: string[]): SyncBatch {
  let pos = 0;
  return (count) => {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const value = map.get(order[pos] as string);
      pos = (pos + 1) & MASK;
      if (value !== undefined) sum += value.id;
    }
    return sum;
  };
}

function lruGetLoop(cache: LRUCache<string, Value>, order: string[]): SyncBatch {
  let pos = 0;
  return (count) => {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const value = cache.get(order[pos] as string);
      pos = (pos + 1) & MASK;
      if (value !== undefined) sum += value.id;
    }
    return sum;
  };
}

function oursGetLoop(cache: L1Cache<string, Value>, order: string[]): AsyncBatch {
  let pos = 0;
  return async (count) => {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const value = await cache.get(order[pos] as string);
      pos = (pos + 1) & MASK;
      sum += value.id;
    }
    return sum;
  };
}

function lruFetchLoop(cache: LRUCache<string, Value>, order: string[]): AsyncBatch {
  let pos = 0;
  return async (count) => {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const value = await cache.fetch(order[pos] as string);
      pos = (pos + 1) & MASK;
      if (value !== undefined) sum += value.id;
    }
    return sum;
  };
}

function bentoLoop(bento: ReturnType<typeof createBento>, order: string[], factory: () => Value) {
  let pos = 0;
  return async (count: number): Promise<number> => {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const value = await bento.getOrSet({ key: order[pos] as string, ttl: TTL_MS, factory });
      pos = (pos + 1) & MASK;
      sum += value.id;
    }
    return sum;
  };
}

function dedupeLoop(cache: Dedupe, order: string[]): AsyncBatch {
  let pos = 0;
  return async (count) => {
    let sum = 0;
    for (let i = 0; i < count; i++) {
      const value = await cache.load(order[pos] as string);
      pos = (pos + 1) & MASK;
      sum += value.id;
    }
    return sum;
  };
}

async function fillAsync(keys: readonly string[], get: (key: string) => Promise<unknown>) {
  for (let i = 0; i < keys.length; i += FILL_BATCH) {
    await Promise.all(keys.slice(i, i + FILL_BATCH).map(get));
  }
}

/** Sections 1 and 2: 100k keys present in every cache, looked up in one precomputed random order. */
export async function measureHitSpeed(rng: Rng, options: MeasureOptions): Promise<HitSpeed> {
  const keys = makeKeys(HIT_KEYS);
  const order = Array.from({ length: ORDER_LENGTH }, () => rng.pick(keys));
  let loads = 0;
  const loader = async (): Promise<Value> => {
    loads++;
    return SHARED_VALUE;
  };
  const factory = (): Value => {
    loads++;
    return SHARED_VALUE;
  };
  const ours = createOurs(loader, HIT_KEYS);
  const map = new Map<string, Value>();
  const lru = createLru(loader, HIT_KEYS);
  const bento = createBento(HIT_KEYS);
  const dedupe = createDedupe(loader, HIT_KEYS);
  for (const key of keys) {
    ours.set(key, SHARED_VALUE);
    map.set(key, SHARED_VALUE);
    lru.set(key, SHARED_VALUE);
  }
  await fillAsync(keys, (key) => bento.getOrSet({ key, ttl: TTL_MS, factory }));
  await fillAsync(keys, (key) => dedupe.load(key));
  const filled = loads;

  const sync = await interleaveSync(
    { map: mapLoop(map, order), ours: peekLoop(ours, order), lru: lruGetLoop(lru, order) },
    options,
  );
  console.error("measured warm hits, sync");
  const awaited = await interleaveAsync(
    {
      ours: oursGetLoop(ours, order),
      lru: lruFetchLoop(lru, order),
      bento: bentoLoop(bento, order, factory),
      dedupe: dedupeLoop(dedupe, order),
    },
    options,
  );
  console.error("measured warm hits, awaited");
  const ratios = {
    mapOverPeek: pairedRatio(sync.map, sync.ours),
    peekOverLru: pairedRatio(sync.ours, sync.lru),
    getOverFetch: pairedRatio(awaited.ours, awaited.lru),
    getOverBento: pairedRatio(awaited.ours, awaited.bento),
    getOverDedupe: pairedRatio(awaited.ours, awaited.dedupe),
  };
  await ours.close();
  await bento.disconnectAll();
  return {
    sync: medians(sync),
    awaited: medians(awaited),
    ratios,
    extraLoads: loads - filled,
  };
}
