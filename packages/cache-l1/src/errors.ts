import { SwitchyardError } from "@switchyard/core";

/** A load took longer than `loadTimeoutMs`; every caller waiting on it gets this error. */
export class LoadTimeoutError extends SwitchyardError {
  static readonly code = "E_LOAD_TIMEOUT";
  readonly timeoutMs: number;

  constructor(key: unknown, timeoutMs: number) {
    super(
      LoadTimeoutError.code,
      `cache load for key ${String(key)} timed out after ${timeoutMs} ms; raise loadTimeoutMs or check the source`,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** `get` was called after `close()`, or `close()` ended a load that callers were waiting on. */
export class CacheClosedError extends SwitchyardError {
  static readonly code = "E_CACHE_CLOSED";

  constructor() {
    super(CacheClosedError.code, "the cache is closed; create a new one to load again");
  }
}

/** The options object failed validation at construction. */
export class InvalidCacheOptionsError extends SwitchyardError {
  static readonly code = "E_INVALID_CACHE_OPTIONS";

  constructor(option: string, problem: string) {
    super(InvalidCacheOptionsError.code, `L1Cache option ${option} ${problem}`);
  }
}
