/**
 * Cancellation of one client request's upstream work. `new AbortController()`
 * per request showed at 2-4% of the gateway's CPU (an EventTarget, and the
 * listener undici adds to it); most requests are never cancelled, so this
 * keeps a plain listener list and creates a real `AbortSignal` only for the
 * APIs that need one (undici's `request` for streams, the response cache).
 */
export class CancelToken {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | undefined;
  private controller: AbortController | undefined;

  /** A token cancelled when `signal` aborts (or already cancelled). */
  static follow(signal: AbortSignal): CancelToken {
    const token = new CancelToken();
    if (signal.aborted) token.cancel(signal.reason);
    else signal.addEventListener("abort", () => token.cancel(signal.reason), { once: true });
    return token;
  }

  /** Calls `listener` once on cancellation (never when already cancelled: check `aborted` first). */
  onCancel(listener: () => void): void {
    if (this.aborted) return;
    if (this.listeners === undefined) this.listeners = [listener];
    else this.listeners.push(listener);
  }

  offCancel(listener: () => void): void {
    const list = this.listeners;
    if (list === undefined) return;
    const at = list.indexOf(listener);
    if (at !== -1) list.splice(at, 1);
  }

  /** Cancels once: sets `aborted` and `reason` (an `AbortError` by default), then runs the listeners. */
  cancel(reason: unknown = new DOMException("This operation was aborted", "AbortError")): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const list = this.listeners;
    this.listeners = undefined;
    this.controller?.abort(reason);
    if (list) for (const listener of list) listener();
  }

  /** An `AbortSignal` that aborts with this token, created on first use. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
}

/** Resolves after `ms`, or rejects with the token's reason once it is cancelled. */
export function delay(ms: number, token: CancelToken): Promise<void> {
  if (token.aborted) return Promise.reject(token.reason);
  return new Promise((resolve, reject) => {
    const onCancel = () => {
      clearTimeout(timer);
      reject(token.reason);
    };
    const timer = setTimeout(() => {
      token.offCancel(onCancel);
      resolve();
    }, ms);
    token.onCancel(onCancel);
  });
}
