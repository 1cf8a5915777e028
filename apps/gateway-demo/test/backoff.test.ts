import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../src/upstream/backoff.js";
import { UpstreamFailure } from "../src/upstream/upstream-failure.js";

const retry = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };

describe("backoff", () => {
  it("full jitter: uniformly below min(max, base * 2^(n-1))", () => {
    const failure = new UpstreamFailure("status", "x", { status: 500 });
    expect(retryDelayMs(failure, 1, retry, () => 0.999)).toBe(99);
    expect(retryDelayMs(failure, 3, retry, () => 0.5)).toBe(200);
    expect(retryDelayMs(failure, 10, retry, () => 0.999)).toBe(999);
    expect(retryDelayMs(failure, 2, retry, () => 0)).toBe(0);
  });

  it("retry-after is honoured exactly up to the bound, beyond it the candidate is given up", () => {
    expect(
      retryDelayMs(
        new UpstreamFailure("status", "x", { status: 429, retryAfterMs: 2_000 }),
        1,
        retry,
      ),
    ).toBe(2_000);
    expect(
      retryDelayMs(
        new UpstreamFailure("status", "x", { status: 429, retryAfterMs: 9_000 }),
        1,
        retry,
      ),
    ).toBeUndefined();
  });
});
