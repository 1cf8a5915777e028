import { describe, expect, it } from "vitest";
import { type CachedAnswer, ResponseCache } from "../src/response-cache/response-cache.js";

const config = { enabled: true, ttlMs: 60_000, maxEntries: 100, maxBodyBytes: 64 * 1024 };

const answer = (body: string, cacheable = true): CachedAnswer => ({
  body,
  modelUsed: "gpt-a",
  cacheable,
});

/** An upstream call that waits until the test answers it, recording that it ran and its signal. */
function upstream() {
  let answerIt!: (value: CachedAnswer) => void;
  let failIt!: (error: unknown) => void;
  const promise = new Promise<CachedAnswer>((resolve, reject) => {
    answerIt = resolve;
    failIt = reject;
  });
  const call = Object.assign(
    (signal: AbortSignal) => {
      call.runs++;
      call.signal = signal;
      return promise;
    },
    { runs: 0, signal: undefined as AbortSignal | undefined },
  );
  return { call, answer: (value: CachedAnswer) => answerIt(value), fail: failIt };
}

/** Two identical requests: the first starts the load (its upstream call is `first`), the second joins it. */
function twoIdentical(signals: [AbortSignal?, AbortSignal?] = []) {
  const cache = new ResponseCache(config);
  const first = upstream();
  const second = upstream();
  const a = cache.get("k", first.call, signals[0]);
  const b = cache.get("k", second.call, signals[1]);
  return { cache, first, second, a, b };
}

describe("ResponseCache (one class, no HTTP)", () => {
  it("the first request loads (miss), identical ones in flight join it (coalesced) without calling upstream, later ones hit", async () => {
    const { cache, first, second, a, b } = twoIdentical();
    first.answer(answer("A"));
    const [ra, rb] = await Promise.all([a, b]);
    expect([ra.role, rb.role]).toEqual(["miss", "coalesced"]);
    expect(rb.answer).toBe(ra.answer);
    expect([first.call.runs, second.call.runs]).toEqual([1, 0]);
    const third = upstream();
    const rc = await cache.get("k", third.call, undefined);
    expect(rc).toEqual({ answer: ra.answer, role: "hit" });
    expect(third.call.runs).toBe(0);
    expect(cache.peek("k")).toBe(ra.answer);
    expect(cache.counters).toMatchObject({ misses: 1, coalesced: 1, hits: 1, stored: 1 });
    await cache.close();
  });

  it("an uncacheable answer goes to every request that joined its load but is never stored", async () => {
    const { cache, first, a, b } = twoIdentical();
    first.answer(answer("tool call", false));
    const [ra, rb] = await Promise.all([a, b]);
    expect(rb.answer).toBe(ra.answer);
    expect(rb.role).toBe("coalesced");
    expect(cache.peek("k")).toBeUndefined();
    const next = upstream();
    const c = cache.get("k", next.call, undefined);
    expect(next.call.runs).toBe(1); // not stored: the next request goes upstream again
    next.answer(answer("again", false));
    expect((await c).role).toBe("miss");
    expect(cache.counters).toMatchObject({ misses: 2, coalesced: 1, stored: 0, notStored: 2 });
    await cache.close();
  });

  it("a failed load reaches every request that joined it and is never stored", async () => {
    const { cache, first, a, b } = twoIdentical();
    first.fail(new Error("upstream 400"));
    await expect(a).rejects.toThrow("upstream 400");
    await expect(b).rejects.toThrow("upstream 400");
    expect(cache.peek("k")).toBeUndefined();
    expect(cache.stats()).toMatchObject({ loads: 1, loadErrors: 1, coalesced: 1, inFlight: 0 });
    await cache.close();
  });

  it("the request that started the load leaving does not cancel the upstream call the others wait for", async () => {
    const leaving = new AbortController();
    const { cache, first, a, b } = twoIdentical([leaving.signal]);
    leaving.abort(new Error("client went away"));
    await expect(a).rejects.toThrow("client went away");
    expect(first.call.signal?.aborted).toBe(false);
    first.answer(answer("A"));
    expect((await b).answer.body).toBe("A");
    expect(cache.peek("k")?.body).toBe("A");
    await cache.close();
  });

  it("when every request waiting on the load leaves, its upstream call is aborted", async () => {
    const one = new AbortController();
    const two = new AbortController();
    const { cache, first, a, b } = twoIdentical([one.signal, two.signal]);
    one.abort(new Error("gone"));
    expect(first.call.signal?.aborted).toBe(false);
    two.abort(new Error("gone too"));
    expect(first.call.signal?.aborted).toBe(true);
    await Promise.allSettled([a, b]);
    await cache.close();
  });
});
