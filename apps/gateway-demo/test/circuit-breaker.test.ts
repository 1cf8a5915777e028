import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../src/upstream/circuit-breaker.js";

describe("circuit breaker", () => {
  it("opens after the threshold, lets one probe through after the cooldown, closes on success", () => {
    let now = 0;
    const breaker = new CircuitBreaker(2, 1_000, () => now);
    breaker.failure();
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe("open");
    expect(breaker.allow()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(1_000);
    now = 1_000;
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false); // one probe at a time
    breaker.success();
    expect(breaker.state).toBe("closed");
  });

  it("a neutral outcome (client gone, 4xx) frees the probe slot without closing the circuit", () => {
    let now = 0;
    const breaker = new CircuitBreaker(1, 1_000, () => now);
    breaker.failure();
    now = 1_000;
    expect(breaker.allow()).toBe(true);
    breaker.neutral();
    expect(breaker.state).toBe("half_open");
    expect(breaker.allow()).toBe(true);
  });

  it("a failed probe re-opens it for another cooldown; a success resets the count", () => {
    let now = 0;
    const breaker = new CircuitBreaker(2, 1_000, () => now);
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.state).toBe("closed");
    breaker.failure();
    now = 1_500;
    expect(breaker.allow()).toBe(true);
    breaker.failure();
    expect(breaker.allow()).toBe(false);
    expect(breaker.retryAfterMs()).toBe(1_000);
  });
});
