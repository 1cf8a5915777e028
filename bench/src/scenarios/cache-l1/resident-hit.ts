import type { MeasureOptions } from "../../lib/measure.js";
import type { Rng } from "../../lib/prng.js";
import { makeKeys } from "./heap.js";
import { mapLoop, ORDER_LENGTH, peekLoop } from "./hit-speed.js";
import { interleaveSync, medians, pairedRatio, type Ratio } from "./interleave.js";
import { createOurs, SHARED_VALUE, type Value } from "./libraries.js";

/** Informational, not a goal: the sync hit when every structure fits in the CPU caches. */
export const RESIDENT_KEYS = 1_000;

export interface ResidentHit {
  readonly ours: number;
  readonly map: number;
  readonly mapOverPeek: Ratio;
}

/** `peek` vs `Map.get` over 1,000 keys, measured like section 1. */
export async function measureResidentHit(rng: Rng, options: MeasureOptions): Promise<ResidentHit> {
  const keys = makeKeys(RESIDENT_KEYS, "hot");
  const order = Array.from({ length: ORDER_LENGTH }, () => rng.pick(keys));
  const ours = createOurs(async () => SHARED_VALUE, RESIDENT_KEYS);
  const map = new Map<string, Value>();
  for (const key of keys) {
    ours.set(key, SHARED_VALUE);
    map.set(key, SHARED_VALUE);
  }
  const rounds = await interleaveSync(
    { map: mapLoop(map, order), ours: peekLoop(ours, order) },
    { ...options, rounds: Math.min(options.rounds, 5) },
  );
  await ours.close();
  console.error("measured warm hits, cache-resident");
  const { map: mapRate, ours: oursRate } = medians(rounds);
  return { ours: oursRate, map: mapRate, mapOverPeek: pairedRatio(rounds.map, rounds.ours) };
}
