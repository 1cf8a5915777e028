import { describe, expect, it } from "vitest";
import { parseFault, splitModel } from "../src/mock/mock-faults.js";
import { SseDecoder } from "../src/stream/sse-decoder.js";
import { retryDelayMs } from "../src/upstream/backoff.js";
import { CircuitBreaker } from "../src/upstream/circuit-breaker.js";
import { retryAfterMs, UpstreamFailure } from "../src/upstream/upstream-failure.js";
import { passthrough } from "./helpers/passthrough.js";

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

  it("retry-after-ms wins over retry-after; seconds and HTTP dates are read", () => {
    expect(retryAfterMs({ "retry-after-ms": "250", "retry-after": "9" })).toBe(250);
    expect(retryAfterMs({ "retry-after": "2" })).toBe(2_000);
    const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
    expect(retryAfterMs({ "retry-after": inFiveSeconds })).toBeGreaterThan(3_000);
    expect(retryAfterMs({})).toBeUndefined();
  });
});

describe("failure classes (routing.md step 6)", () => {
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

describe("SSE plumbing", () => {
  it("passthrough forwards whole events only and keeps the tail for the next chunk", () => {
    const p = passthrough("openai", 1024);
    expect(p.push(Buffer.from('data: {"n":1}\n\ndata: {"n":2')).toString()).toBe(
      'data: {"n":1}\n\n',
    );
    expect(p.push(Buffer.from("2}\n\n")).toString()).toBe('data: {"n":22}\n\n');
    const last = 'data: {"partial":true,"choices":[{"finish_reason":"stop"}]}';
    expect(p.push(Buffer.from(last)).length).toBe(0);
    expect(p.end().toString()).toBe(last);
  });

  it("the decoder handles split multi-byte characters, CRLF and event names", () => {
    const d = new SseDecoder();
    const euro = Buffer.from("event: x\r\ndata: €\r\n\r\n");
    expect(d.push(euro.subarray(0, 18))).toEqual([]);
    expect(d.push(euro.subarray(18))).toEqual([{ event: "x", data: "€" }]);
  });
});

describe("mock fault directives", () => {
  it("parse from the model name and the header", () => {
    expect(splitModel("gpt-4o~fail=429~retry_after=2~times=1")).toEqual({
      base: "gpt-4o",
      directives: "fail=429~retry_after=2~times=1",
    });
    expect(parseFault("fail=429~retry_after=2~times=1")).toEqual({
      fail: 429,
      retryAfterS: 2,
      times: 1,
    });
    expect(parseFault("cut=3,ttft=50,tool,bogus=1")).toEqual({ cut: 3, ttftMs: 50, tool: true });
    expect(parseFault("garble=2~empty~big_event=100")).toEqual({
      garble: 2,
      empty: true,
      bigEventBytes: 100,
    });
  });
});
