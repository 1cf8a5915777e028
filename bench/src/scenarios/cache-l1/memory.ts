import { L1Cache } from "@switchyard/cache-l1";
import { median } from "../../lib/measure.js";
import { liveBytes, makeKeys } from "./heap.js";
import { createLru, createOurs, SHARED_VALUE, type Value } from "./libraries.js";

export const MEMORY_ENTRIES = 100_000;
const ROUNDS = 3;

export interface MemoryResult {
  /** Bytes per entry beyond the keys themselves (median of the rounds). */
  readonly ours: number;
  readonly map: number;
  readonly lru: number;
  /** Bytes per key of the keys-only baseline (strings plus the array holding them). */
  readonly keysPerEntry: number;
}

const noLoad = async (): Promise<Value> => {
  throw new Error("the memory section never loads");
};

type Fill = (keys: readonly string[]) => unknown;

const fills: Readonly<Record<"keys" | "map" | "ours" | "lru", Fill>> = {
  keys: () => undefined,
  map: (keys) => {
    const map = new Map<string, Value>();
    for (const key of keys) map.set(key, SHARED_VALUE);
    return map;
  },
  ours: (keys) => {
    const cache = createOurs(noLoad, MEMORY_ENTRIES);
    for (const key of keys) cache.set(key, SHARED_VALUE);
    return cache;
  },
  lru: (keys) => {
    const cache = createLru(noLoad, MEMORY_ENTRIES);
    for (const key of keys) cache.set(key, SHARED_VALUE);
    return cache;
  },
};

/** Live bytes added by fresh keys plus `fill(keys)`, measured after a full GC on both sides. */
function footprint(fill: Fill, round: number): number {
  const before = liveBytes();
  const keys = makeKeys(MEMORY_ENTRIES, `k${round}`);
  const held = fill(keys);
  const after = liveBytes();
  // Both are used after the heap was read, so neither could be collected before it.
  const size = (held as { size?: number } | undefined)?.size ?? keys.length;
  if (size !== keys.length) throw new Error(`holds ${size} of ${keys.length} entries`);
  if (held instanceof L1Cache) void held.close();
  return after - before;
}

/** Section 5: bookkeeping bytes per entry at 100k entries sharing one small value. */
export async function measureMemory(): Promise<MemoryResult> {
  const samples: Record<keyof typeof fills, number[]> = { keys: [], map: [], ours: [], lru: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(fills) as (keyof typeof fills)[]) {
      samples[name].push(footprint(fills[name], round));
    }
  }
  const keys = median(samples.keys);
  const perEntry = (name: "map" | "ours" | "lru") =>
    (median(samples[name]) - keys) / MEMORY_ENTRIES;
  console.error("measured memory");
  return {
    ours: perEntry("ours"),
    map: perEntry("map"),
    lru: perEntry("lru"),
    keysPerEntry: keys / MEMORY_ENTRIES,
  };
}
