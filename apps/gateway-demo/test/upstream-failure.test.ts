import { describe, expect, it } from "vitest";
import { retryAfterMs, UpstreamFailure } from "../src/upstream/upstream-failure.js";

describe("failure classes (docs/routing.md, Fallbacks)", () => {
  const status = (s: number) => new UpstreamFailure("status", "x", { status: s });
  it("5xx, 429 and timeouts are retried and fall back; 404 falls back without retry; other 4xx stop", () => {
    for (const s of [500, 502, 529, 429])
      expect([status(s).retryable, status(s).fallbackEligible]).toEqual([true, true]);
    expect([status(404).retryable, status(404).fallbackEligible]).toEqual([false, true]);
    for (const s of [400, 401, 403, 422]) expect(status(s).fallbackEligible).toBe(false);
    expect(new UpstreamFailure("timeout", "x").retryable).toBe(true);
  });
  it("only server-side failures count against the breaker", () => {
    expect(status(500).breakerFailure).toBe(true);
    expect(status(429).breakerFailure).toBe(false);
    expect(status(400).breakerFailure).toBe(false);
  });
});

describe("retry-after headers", () => {
  it("retry-after-ms wins over retry-after; seconds and HTTP dates are read", () => {
    expect(retryAfterMs({ "retry-after-ms": "250", "retry-after": "9" })).toBe(250);
    expect(retryAfterMs({ "retry-after": "2" })).toBe(2_000);
    const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
    expect(retryAfterMs({ "retry-after": inFiveSeconds })).toBeGreaterThan(3_000);
    expect(retryAfterMs({})).toBeUndefined();
  });
});
