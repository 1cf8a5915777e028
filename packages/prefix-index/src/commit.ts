import { type CacheIndex, TTL_TIER_MS } from "@switchyard/core";
import type { Classification } from "./classification.js";
import { isSuccessfulResponse, type ResponseOutcome } from "./response-outcome.js";

/**
 * How a commit ended:
 * - `committed`: every write and the refresh were applied;
 * - `nothing-to-commit`: the classification queued nothing;
 * - `skipped-failed-response`: the response was not a success, nothing was applied;
 * - `skipped-gap-cap`: the gap cap zeroed the bill, so nothing billed would back the entries;
 * - `timed-out`: the deadline passed first (operations may still land);
 * - `failed`: the index rejected an operation.
 */
export type CommitResult =
  | "committed"
  | "nothing-to-commit"
  | "skipped-failed-response"
  | "skipped-gap-cap"
  | "timed-out"
  | "failed";

interface CommitOptions {
  /** Stop waiting after this long. */
  readonly deadlineMs: number;
  /** Clock for the new expiries (ms since the epoch). */
  readonly now: () => number;
}

/**
 * Applies a classification's pending writes (expiry now + tier) and refresh
 * (now + the read entry's stored tier) after a successful response only.
 * Best-effort: never rejects, stops waiting at the deadline.
 */
export async function commitClassification(
  index: CacheIndex,
  classification: Classification,
  outcome: ResponseOutcome,
  options: CommitOptions,
): Promise<CommitResult> {
  const { pendingWrites, pendingRefresh, scope } = classification;
  if (pendingWrites.length === 0 && pendingRefresh === null) return "nothing-to-commit";
  if (!isSuccessfulResponse(outcome)) return "skipped-failed-response";
  if (outcome.billed?.gapCap === "all") return "skipped-gap-cap";

  const now = options.now();
  const operations: Promise<void>[] = pendingWrites.map((write) =>
    attempt(() =>
      index.write({
        scope,
        prefixHash: write.prefixHash,
        cumulativeTokenCount: write.cumulativeTokenCount,
        ttlTier: write.ttlTier,
        expiresAt: new Date(now + TTL_TIER_MS[write.ttlTier]),
      }),
    ),
  );
  if (pendingRefresh !== null) {
    const expiresAt = new Date(now + TTL_TIER_MS[pendingRefresh.ttlTier]);
    operations.push(attempt(() => index.refresh(scope, pendingRefresh.prefixHash, expiresAt)));
  }
  const all = Promise.all(operations).then(
    (): CommitResult => "committed",
    (): CommitResult => "failed",
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<CommitResult>((resolve) => {
    timer = setTimeout(() => resolve("timed-out"), options.deadlineMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([all, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function attempt(operation: () => Promise<void>): Promise<void> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(error);
  }
}
