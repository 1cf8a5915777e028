import { describe, expect, it } from "vitest";
import { DashboardStatsRecorder } from "../src/server/index.js";

const ORG_A = { id: "org-a", name: "A" };
const ORG_B = { id: "org-b", name: "B" };

function clock(start: number) {
  const c = { now: start, tick: (ms: number) => (c.now += ms) };
  return c;
}

describe("DashboardStatsRecorder", () => {
  it("starts at zero, with a full series of empty buckets", () => {
    const c = clock(Date.UTC(2026, 0, 1, 12, 0, 5));
    const stats = new DashboardStatsRecorder({ now: () => c.now, buckets: 6 }).snapshot(ORG_A);
    expect(stats.object).toBe("dashboard.stats");
    expect(stats.org).toEqual(ORG_A);
    expect(stats.since).toBe("2026-01-01T12:00:05.000Z");
    expect(stats.totals.requests).toBe(0);
    expect(stats.totals.response_cache.hit_ratio).toBeNull();
    expect(stats.routes).toEqual([]);
    expect(stats.series.bucket_seconds).toBe(10);
    expect(stats.series.buckets.map((b) => b.start)).toEqual([
      "2026-01-01T11:59:10.000Z",
      "2026-01-01T11:59:20.000Z",
      "2026-01-01T11:59:30.000Z",
      "2026-01-01T11:59:40.000Z",
      "2026-01-01T11:59:50.000Z",
      "2026-01-01T12:00:00.000Z",
    ]);
  });

  it("counts requests, routes, fallbacks, caches and money per org", () => {
    const c = clock(Date.UTC(2026, 0, 1, 12, 0, 0));
    const recorder = new DashboardStatsRecorder({ now: () => c.now, buckets: 3 });
    const route = { id: "r1", name: "short-to-mini" };
    recorder.record({
      orgId: "org-a",
      status: 200,
      route,
      responseCache: { outcome: "miss" },
      promptCache: { readTokens: 0, writtenTokens: 1500, savedUsd: -0.001 },
      costUsd: 0.01,
    });
    recorder.record({
      orgId: "org-a",
      status: 200,
      route,
      responseCache: { outcome: "hit", savedUsd: 0.01 },
      costUsd: 0,
    });
    c.tick(10_000);
    recorder.record({
      orgId: "org-a",
      status: 200,
      route: { id: "r2", name: "flaky" },
      fellBack: true,
      responseCache: { outcome: "coalesced", savedUsd: 0.01 },
      promptCache: { readTokens: 1500, writtenTokens: 0, savedUsd: 0.004 },
    });
    recorder.record({ orgId: "org-a", status: 502, responseCache: { outcome: "bypass" } });
    recorder.record({ orgId: "org-b", status: 200 });

    const a = recorder.snapshot(ORG_A);
    expect(a.totals).toEqual({
      requests: 4,
      errors: 1,
      routed: 3,
      fallbacks: 1,
      response_cache: {
        hits: 2,
        misses: 1,
        bypassed: 1,
        coalesced: 1,
        hit_ratio: 2 / 3,
        saved_usd: 0.02,
      },
      prompt_cache: { read_tokens: 1500, written_tokens: 1500, saved_usd: 0.003 },
      cost_usd: 0.01,
    });
    expect(a.routes).toEqual([
      { id: "r1", name: "short-to-mini", matches: 2, fallbacks: 0 },
      { id: "r2", name: "flaky", matches: 1, fallbacks: 1 },
    ]);
    expect(a.series.buckets.map((b) => [b.requests, b.routed, b.cache_hits, b.errors])).toEqual([
      [0, 0, 0, 0],
      [2, 2, 1, 0],
      [2, 1, 1, 1],
    ]);
    expect(a.series.buckets[2]?.prompt_cache_read_tokens).toBe(1500);

    const b = recorder.snapshot(ORG_B);
    expect(b.totals.requests).toBe(1);
    expect(b.routes).toEqual([]);
    expect(recorder.snapshot({ id: "org-c", name: "C" }).totals.requests).toBe(0);
  });

  it("answers amounts of money rounded to 10 decimals, without floating point noise (issue 14.11)", () => {
    const recorder = new DashboardStatsRecorder({ now: () => Date.UTC(2026, 0, 1), buckets: 3 });
    for (const usd of [0.1, 0.2]) {
      recorder.record({
        orgId: "org-a",
        status: 200,
        responseCache: { outcome: "hit", savedUsd: usd },
        promptCache: { readTokens: 10, writtenTokens: 0, savedUsd: -usd * 0.7 },
        costUsd: usd,
      });
    }
    const { totals } = recorder.snapshot(ORG_A);
    expect(totals.cost_usd).toBe(0.3);
    expect(totals.response_cache.saved_usd).toBe(0.3);
    expect(totals.prompt_cache.saved_usd).toBe(-0.21);
  });

  it("keeps a bounded window of buckets and ignores events older than it", () => {
    const c = clock(Date.UTC(2026, 0, 1, 12, 0, 0));
    const recorder = new DashboardStatsRecorder({ now: () => c.now, bucketSeconds: 5, buckets: 4 });
    for (let i = 0; i < 100; i++) {
      recorder.record({ orgId: "org-a", status: 200 });
      c.tick(5_000);
    }
    recorder.record({ orgId: "org-a", status: 200, at: c.now - 3_600_000 });
    const stats = recorder.snapshot(ORG_A);
    expect(stats.totals.requests).toBe(101);
    expect(stats.series.buckets).toHaveLength(4);
    expect(stats.series.buckets.map((b) => b.requests)).toEqual([1, 1, 1, 0]);
  });

  it("places backdated events in their bucket", () => {
    const c = clock(Date.UTC(2026, 0, 1, 12, 0, 0));
    const recorder = new DashboardStatsRecorder({ now: () => c.now, buckets: 4 });
    recorder.record({ orgId: "org-a", status: 200 });
    recorder.record({ orgId: "org-a", status: 200, at: c.now - 20_000 });
    recorder.record({ orgId: "org-a", status: 200, at: c.now - 10_000 });
    recorder.record({ orgId: "org-a", status: 200, at: c.now - 20_000 });
    expect(recorder.snapshot(ORG_A).series.buckets.map((b) => b.requests)).toEqual([0, 2, 1, 1]);
  });

  it("rejects a bad configuration", () => {
    expect(() => new DashboardStatsRecorder({ bucketSeconds: 0 })).toThrow(RangeError);
    expect(() => new DashboardStatsRecorder({ buckets: 1.5 })).toThrow(RangeError);
  });
});
