/**
 * One clock shared by every cache in the process: a number refreshed every
 * few milliseconds by a single unref'd interval, so a hit reads a variable
 * instead of calling Date.now(). The interval runs only while some cache is open.
 */
const RESOLUTION_MS = 5;

let current = Date.now();
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function tick(): void {
  current = Date.now();
}

export function coarseNow(): number {
  return current;
}

/** Re-reads the real time now (used on every miss, so stored expiries are exact). */
export function refreshNow(): number {
  current = Date.now();
  return current;
}

export function acquireClock(): void {
  users += 1;
  if (timer !== undefined) return;
  tick();
  timer = setInterval(tick, RESOLUTION_MS);
  timer.unref?.();
}

export function releaseClock(): void {
  users = Math.max(0, users - 1);
  if (users === 0 && timer !== undefined) {
    clearInterval(timer);
    timer = undefined;
  }
}
