import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { withTimeout } from "../src/index.js";

class Late extends Error {}

describe("withTimeout", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("settles as the promise does when it settles in time, and clears its timer", async () => {
    await expect(withTimeout(Promise.resolve(7), 100, () => new Late())).resolves.toBe(7);
    const failure = new Error("no");
    await expect(withTimeout(Promise.reject(failure), 100, () => new Late())).rejects.toBe(failure);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with the caller's error once the time is up; the late outcome is swallowed", async () => {
    let rejectLate!: (error: Error) => void;
    const slow = new Promise<number>((_, reject) => {
      rejectLate = reject;
    });
    const raced = withTimeout(slow, 100, () => new Late("too slow"));
    const outcome = raced.then(
      () => "resolved",
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(99);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(Late);
    expect((error as Error).message).toBe("too slow");
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    rejectLate(new Error("late"));
    vi.useRealTimers();
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it("a non-finite time never times out and sets no timer", () => {
    const pending = new Promise<number>(() => {});
    expect(withTimeout(pending, Number.POSITIVE_INFINITY, () => new Late())).toBe(pending);
    expect(vi.getTimerCount()).toBe(0);
  });
});
