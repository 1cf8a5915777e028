/**
 * `promise`'s outcome, or a rejection with `timeoutError()` when it has not
 * settled within `ms`. The late outcome is swallowed (a rejection after the
 * timeout is handled, never unhandled), the timer never keeps the process
 * alive, and a non-finite `ms` (`Infinity`) never times out. The work itself
 * is not cancelled: pass it an `AbortSignal` for that.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  timeoutError: () => Error,
): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timeoutError()), ms);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
