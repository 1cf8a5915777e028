import { L1Cache, LoadTimeoutError } from "@switchyard/cache-l1";
import type { LoadContext } from "@switchyard/core";
import type { Rng } from "../../lib/prng.js";
import { liveBytes, sleep } from "./heap.js";
import { SHARED_VALUE, type Value } from "./libraries.js";

export const SOAK_HALF_MS = 5_000;
const WORKERS = 64;
const KEYS = 2_000;
const LOAD_TIMEOUT_MS = 25;
/** Heap growth between the halves above this is "not flat" (a leak of 10 B/op would be several MiB). */
export const FLAT_HEAP_BYTES = 1024 * 1024;

export interface SoakResult {
  readonly operations: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly inFlightAtHalf: number;
  readonly inFlightAtEnd: number;
  readonly heapFirstHalf: number;
  readonly heapSecondHalf: number;
  readonly stats: ReturnType<L1Cache<string, Value>["stats"]>;
}

/** A misbehaving backend: fast and slow answers, errors, synchronous throws, hangs. */
function flakySource(rng: Rng) {
  return (_key: string, { signal }: LoadContext): Promise<Value> | Value => {
    const roll = rng.next();
    const delay = rng.int(0, 4);
    if (roll < 0.5) return sleep(delay).then(() => SHARED_VALUE);
    if (roll < 0.65) return sleep(delay).then(() => Promise.reject(new Error("backend error")));
    if (roll < 0.7) throw new Error("synchronous throw");
    if (roll < 0.75) return SHARED_VALUE;
    if (roll < 0.85) {
      // Hangs until the cache aborts it (timeout, or every caller left).
      return new Promise((_, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    }
    // Never settles and ignores the signal: only the load timeout frees its callers.
    if (roll < 0.9) return new Promise<Value>(() => {});
    // Answers after the timeout already failed it.
    return sleep(LOAD_TIMEOUT_MS + rng.int(1, 15)).then(() => SHARED_VALUE);
  };
}

function outcomeOf(error: unknown): string {
  if (error instanceof LoadTimeoutError) return "timeout";
  if (error instanceof DOMException && error.name === "AbortError") return "aborted";
  if (error instanceof Error && error.message === "caller gave up") return "aborted";
  if (error instanceof Error) return "error";
  return "other";
}

async function oneGet(cache: L1Cache<string, Value>, rng: Rng, key: string): Promise<string> {
  const roll = rng.next();
  const controller = roll < 0.3 ? new AbortController() : undefined;
  let timer: NodeJS.Timeout | undefined;
  if (controller !== undefined) {
    const reason = new Error("caller gave up");
    if (roll < 0.03) controller.abort(reason);
    else timer = setTimeout(() => controller.abort(reason), rng.int(0, 12));
  }
  try {
    await cache.get(key, { signal: controller?.signal });
    return "value";
  } catch (error) {
    return outcomeOf(error);
  } finally {
    clearTimeout(timer);
  }
}

async function worker(
  cache: L1Cache<string, Value>,
  rng: Rng,
  until: number,
  outcomes: Record<string, number>,
): Promise<number> {
  let done = 0;
  while (Date.now() < until) {
    const key = `soak-${rng.int(0, KEYS - 1)}`;
    const roll = rng.next();
    let outcome: string;
    if (roll < 0.8) outcome = await oneGet(cache, rng, key);
    else if (roll < 0.9) {
      outcome = cache.peek(key) === undefined ? "peek-miss" : "peek-hit";
      await sleep(0);
    } else if (roll < 0.96) outcome = cache.invalidate(key) ? "invalidated" : "invalidate-none";
    else if (roll < 0.999) {
      cache.set(key, SHARED_VALUE);
      outcome = "set";
    } else {
      cache.clear();
      outcome = "clear";
    }
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    done++;
  }
  return done;
}

/** Runs the workers for `ms`, waits for every load to end, and returns the operations done. */
async function half(
  cache: L1Cache<string, Value>,
  rng: Rng,
  ms: number,
  outcomes: Record<string, number>,
): Promise<number> {
  const until = Date.now() + ms;
  const counts = await Promise.all(
    Array.from({ length: WORKERS }, () => worker(cache, rng, until, outcomes)),
  );
  // Loads still running end by the timeout; give them that long (and the late answers too).
  await sleep(LOAD_TIMEOUT_MS * 3);
  return counts.reduce((a, b) => a + b, 0);
}

/** Section 7: ours only; in-flight must return to 0 and the heap must not grow from half to half. */
export async function runSoak(rng: Rng, halfMs = SOAK_HALF_MS): Promise<SoakResult> {
  const cache = new L1Cache<string, Value>(flakySource(rng), {
    ttlMs: 50,
    maxEntries: 500,
    loadTimeoutMs: LOAD_TIMEOUT_MS,
    staleWhileRevalidateMs: 20,
  });
  const outcomes: Record<string, number> = {};
  let operations = await half(cache, rng, halfMs, outcomes);
  const inFlightAtHalf = cache.stats().inFlight;
  const heapFirstHalf = liveBytes();
  console.error("soak: first half done");
  operations += await half(cache, rng, halfMs, outcomes);
  const inFlightAtEnd = cache.stats().inFlight;
  const heapSecondHalf = liveBytes();
  const stats = cache.stats();
  await cache.close();
  console.error("soak: second half done");
  return {
    operations,
    outcomes,
    inFlightAtHalf,
    inFlightAtEnd,
    heapFirstHalf,
    heapSecondHalf,
    stats,
  };
}
