import type { BilledUsage } from "./usage.js";

/** How the upstream response ended, for the success gate of `commit`. */
export interface ResponseOutcome {
  /** The upstream's HTTP status. */
  readonly status: number;
  /** A JSON response had a usage object; a stream had a usage frame. */
  readonly usageSeen: boolean;
  /** A stream had an error frame. */
  readonly errorSeen?: boolean;
  /** What was billed; when the gap cap zeroed everything, nothing is committed. */
  readonly billed?: BilledUsage | undefined;
}

/** Success: 2xx with a usage object, or a stream with a usage frame and no error frame. */
export function isSuccessfulResponse(outcome: ResponseOutcome): boolean {
  return (
    outcome.status >= 200 && outcome.status < 300 && outcome.usageSeen && outcome.errorSeen !== true
  );
}
