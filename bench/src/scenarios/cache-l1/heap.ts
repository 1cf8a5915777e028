/** Heap helpers: the scenario runs with `node --expose-gc` (see bench/package.json). */

export function hasGc(): boolean {
  return typeof globalThis.gc === "function";
}

/** Full collections until the numbers settle (two are enough in practice; weak refs need a second). */
export function collect(): void {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error("run with node --expose-gc (the bench script does)");
  gc();
  gc();
}

/** Live bytes after a full GC: the JS heap plus ArrayBuffer backing stores (typed arrays live there). */
export function liveBytes(): number {
  collect();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** `key-000042`: same length for every key, so baselines compare like with like. */
export function makeKeys(count: number, prefix = "key"): string[] {
  const keys = new Array<string>(count);
  for (let i = 0; i < count; i++) keys[i] = `${prefix}-${String(i).padStart(6, "0")}`;
  return keys;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export function formatBytes(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return `${mib.toFixed(2)} MiB`;
}
