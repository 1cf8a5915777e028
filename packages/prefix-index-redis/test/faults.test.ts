import { RedisProcess } from "@switchyard/test-utils";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisAcceleratedIndex } from "../src/index.js";
import { usePostgresBaseline } from "./baseline.js";
import { counting, entry, hash, hashesOf, hexOf, scope } from "./helpers.js";

const postgres = usePostgresBaseline();
const createBaseline = () => postgres.baseline();

let server: RedisProcess;
const clients: Redis[] = [];
/** A client that fails fast while the server is away instead of queueing for long. */
const client = () => {
  const c = new Redis(server.url, {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => 50,
  });
  c.on("error", () => {});
  clients.push(c);
  return c;
};
beforeAll(async () => {
  server = await RedisProcess.start();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server?.kill();
});

const waitFor = async (check: () => boolean | Promise<boolean>, ms: number) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("Redis goes away in the middle of a run", () => {
  it("0 errors reach the caller, answers stay right, and Redis serves again once it is back", async () => {
    const baseline = counting(createBaseline());
    const redis = client();
    await waitFor(() => redis.status === "ready", 3_000);
    const index = new RedisAcceleratedIndex({
      baseline: baseline.index,
      redis,
      openMs: 100,
      maxOpenMs: 200,
    });
    const s = scope();
    const written = Array.from({ length: 20 }, hash);
    for (const h of written.slice(0, 10)) await index.write(entry(s, h));
    const absent = Array.from({ length: 5 }, hash);
    let errors = 0;
    let wrong = 0;
    const duringOutage: Uint8Array[] = [];
    for (let i = 0; i < 1_000; i++) {
      if (i === 300) await server.kill();
      try {
        if (i % 10 === 0 && i >= 300 && duringOutage.length < 10) {
          const h = written[10 + duringOutage.length] as Uint8Array;
          await index.write(entry(s, h));
          duringOutage.push(h);
        } else {
          const expected = hexOf([...written.slice(0, 10), ...duringOutage]);
          const result = await index.lookup(s, [...written, ...absent]);
          if (JSON.stringify(hashesOf(result)) !== JSON.stringify(expected)) wrong++;
        }
      } catch {
        errors++;
      }
    }
    expect(errors).toBe(0);
    expect(wrong).toBe(0);
    expect(index.stats().breakerState).not.toBe("closed");
    expect(index.stats().baselineFallbacks).toBeGreaterThan(500);

    await server.resume();
    await waitFor(async () => {
      await index.lookup(s, written);
      return index.stats().breakerState === "closed";
    }, 5_000);
    const fallbacksBefore = index.stats().baselineFallbacks;
    const lookupsBefore = baseline.calls.lookup;
    const found = await index.lookup(s, written);
    expect(hashesOf(found)).toEqual(hexOf(written)); // incl. the 10 written during the outage
    await new Promise((r) => setTimeout(r, 20));
    await index.lookup(s, written);
    expect(index.stats().baselineFallbacks).toBe(fallbacksBefore);
    expect(baseline.calls.lookup - lookupsBefore).toBeLessThanOrEqual(1); // Redis answers again
    await index.close();
  }, 30_000);

  it("markers learnt before an outage that kept its data never hide entries written during it", async () => {
    const baseline = createBaseline();
    const redis = client();
    const admin = client();
    await waitFor(() => redis.status === "ready" && admin.status === "ready", 5_000);
    const index = new RedisAcceleratedIndex({
      baseline,
      redis,
      openMs: 50,
      maxOpenMs: 100,
      failureThreshold: 1,
    });
    const s = scope();
    const h = hash();
    expect(await index.lookup(s, [h])).toEqual([]); // Redis now says "not there"
    await new Promise((r) => setTimeout(r, 20));
    await admin.call("CLIENT", "PAUSE", "700", "ALL"); // unreachable, but keeps every key
    expect(await index.lookup(s, [h])).toEqual([]); // times out: the breaker opens
    await index.write(entry(s, h)); // reaches the baseline only
    await new Promise((r) => setTimeout(r, 800));
    await waitFor(async () => {
      await index.lookup(s, [h]);
      return index.stats().breakerState === "closed";
    }, 5_000);
    expect(index.stats().repairedKeys).toBeGreaterThanOrEqual(2);
    expect(await index.lookup(s, [h])).toHaveLength(1);
    await index.close();
  }, 30_000);
});

describe("Redis answers slowly", () => {
  it("calls time out and fall back; no caller waits longer than the timeout plus the baseline", async () => {
    const redis = client();
    await waitFor(() => redis.status === "ready", 5_000);
    const baseline = createBaseline();
    const index = new RedisAcceleratedIndex({
      baseline,
      redis,
      commandTimeoutMs: 50,
      failureThreshold: 100,
    });
    const s = scope();
    const h = hash();
    await index.write(entry(s, h));
    const admin = client();
    await waitFor(() => admin.status === "ready", 5_000);
    await admin.call("CLIENT", "PAUSE", "1500", "ALL");
    const waits: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const started = performance.now();
        const result = await index.lookup(s, [h]);
        waits.push(performance.now() - started);
        return result;
      }),
    );
    expect(results.every((r) => r.length === 1)).toBe(true);
    // Without the timeout every caller would wait out the 1.5 s pause; with it, each waits
    // the 50 ms timeout plus one baseline lookup (a bound generous enough for a loaded CI machine).
    expect(Math.max(...waits)).toBeLessThan(750);
    expect(index.stats().redisTimeouts).toBeGreaterThanOrEqual(20);
    await new Promise((r) => setTimeout(r, 1_600));
    await index.close();
  }, 30_000);
});
