import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../src/index.js";

function breaker(options: { failureThreshold?: number; openMs?: number; maxOpenMs?: number }) {
  const clock = { now: 0 };
  const b = new CircuitBreaker({
    failureThreshold: options.failureThreshold ?? 2,
    openMs: options.openMs ?? 1_000,
    maxOpenMs: options.maxOpenMs,
    now: () => clock.now,
  });
  return { b, clock };
}

describe("CircuitBreaker", () => {
  it("opens after the threshold of consecutive failures; a success resets the count", () => {
    const { b } = breaker({ failureThreshold: 3 });
    b.failure();
    b.failure();
    b.success();
    b.failure();
    b.failure();
    expect(b.state).toBe("closed");
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state).toBe("open");
    expect(b.opens).toBe(1);
    expect(b.allow()).toBe(false);
  });

  it("says how long it stays open, and is half_open once the period is over", () => {
    const { b, clock } = breaker({ failureThreshold: 1 });
    expect(b.retryAfterMs()).toBe(0);
    b.failure();
    clock.now = 400;
    expect(b.retryAfterMs()).toBe(600);
    expect(b.state).toBe("open");
    clock.now = 1_000;
    expect(b.state).toBe("half_open");
    expect(b.retryAfterMs()).toBe(0);
  });

  it("lets exactly one probe through when half-open; its success closes the circuit", () => {
    const { b, clock } = breaker({ failureThreshold: 1 });
    b.failure();
    clock.now = 1_000;
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    expect(b.state).toBe("half_open");
    b.success();
    expect(b.state).toBe("closed");
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(true);
  });

  it("a neutral outcome frees the probe and changes nothing else", () => {
    const { b, clock } = breaker({ failureThreshold: 1 });
    b.failure();
    clock.now = 1_000;
    expect(b.allow()).toBe(true);
    b.neutral();
    expect(b.state).toBe("half_open");
    expect(b.opens).toBe(1);
    expect(b.allow()).toBe(true);
  });

  it("a failed probe opens it again for twice as long, up to maxOpenMs; a success resets the period", () => {
    const { b, clock } = breaker({ failureThreshold: 1, openMs: 100, maxOpenMs: 300 });
    b.failure();
    const periods: number[] = [];
    for (let i = 0; i < 3; i++) {
      clock.now += b.retryAfterMs();
      expect(b.allow()).toBe(true);
      b.failure();
      periods.push(b.retryAfterMs());
    }
    expect(periods).toEqual([200, 300, 300]);
    expect(b.opens).toBe(4);
    clock.now += 300;
    expect(b.allow()).toBe(true);
    b.success();
    b.failure();
    expect(b.retryAfterMs()).toBe(100);
  });

  it("without maxOpenMs every open period is openMs", () => {
    const { b, clock } = breaker({ failureThreshold: 1, openMs: 100 });
    b.failure();
    clock.now = 100;
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.retryAfterMs()).toBe(100);
  });

  it("a late failure (a call allowed before the circuit opened) starts the open period again, not doubled", () => {
    const { b, clock } = breaker({ failureThreshold: 1, openMs: 100, maxOpenMs: 1_000 });
    b.failure();
    clock.now = 60;
    b.failure();
    expect(b.retryAfterMs()).toBe(100);
    expect(b.opens).toBe(1);
  });

  it("refuses options it cannot work with, saying which and why", () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0, openMs: 1 })).toThrow(
      /failureThreshold must be an integer >= 1, got 0/,
    );
    expect(() => new CircuitBreaker({ failureThreshold: 1, openMs: Number.NaN })).toThrow(
      /openMs must be a finite number > 0/,
    );
    expect(() => new CircuitBreaker({ failureThreshold: 1, openMs: 10, maxOpenMs: 5 })).toThrow(
      /maxOpenMs must be a finite number >= openMs \(10\), got 5/,
    );
  });
});
