import type { LoadContext } from "@switchyard/core";

/** A manual clock for the `now` option. */
export function manualClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** A promise you settle from outside. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A source whose loads wait until the test releases them, recording every call. */
export function gatedSource<V>() {
  const calls: Array<{ key: string; context: LoadContext; gate: ReturnType<typeof deferred<V>> }> =
    [];
  const load = (key: string, context: LoadContext) => {
    const gate = deferred<V>();
    calls.push({ key, context, gate });
    return gate.promise;
  };
  return { load, calls };
}

export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
