import { describe, expect, it } from "vitest";
import { CancelToken, delay } from "../src/cancel/cancel-token.js";

describe("CancelToken", () => {
  it("runs each listener once on cancel, with the reason set; later cancels change nothing", () => {
    const token = new CancelToken();
    const calls: unknown[] = [];
    token.onCancel(() => calls.push(token.reason));
    token.onCancel(() => calls.push("second"));
    const reason = new Error("gone");
    token.cancel(reason);
    token.cancel(new Error("again"));
    expect(token.aborted).toBe(true);
    expect(calls).toEqual([reason, "second"]);
  });

  it("a removed listener is not called; the default reason is an AbortError", () => {
    const token = new CancelToken();
    let called = 0;
    const listener = () => called++;
    token.onCancel(listener);
    token.offCancel(listener);
    token.cancel();
    expect(called).toBe(0);
    expect(token.reason).toMatchObject({ name: "AbortError" });
  });

  it("signal: a real AbortSignal, created on first use, aborted with the token (before or after)", () => {
    const early = new CancelToken();
    const signal = early.signal;
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(early.signal).toBe(signal);
    early.cancel("why");
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe("why");
    const late = new CancelToken();
    late.cancel("before");
    expect(late.signal.aborted).toBe(true);
    expect(late.signal.reason).toBe("before");
  });

  it("follow: cancelled when the signal aborts, or at once when it already has", () => {
    const controller = new AbortController();
    const token = CancelToken.follow(controller.signal);
    expect(token.aborted).toBe(false);
    controller.abort("left");
    expect(token.aborted).toBe(true);
    expect(token.reason).toBe("left");
    expect(CancelToken.follow(AbortSignal.abort("done")).reason).toBe("done");
  });
});

describe("delay", () => {
  it("resolves after the time when not cancelled, and leaves no listener behind", async () => {
    const token = new CancelToken();
    await delay(5, token);
    let called = 0;
    token.onCancel(() => called++);
    token.cancel();
    expect(called).toBe(1);
  });

  it("rejects with the reason when cancelled while waiting, or at once when already cancelled", async () => {
    const token = new CancelToken();
    const waiting = delay(60_000, token);
    token.cancel(new Error("client gone"));
    await expect(waiting).rejects.toThrow("client gone");
    await expect(delay(1, token)).rejects.toThrow("client gone");
  });
});
