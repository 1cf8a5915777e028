import { cacheIndexContract } from "@switchyard/conformance";
import { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisAcceleratedIndex } from "../src/index.js";
import { KeyLayout } from "../src/keys.js";
import { usePostgresBaseline } from "./baseline.js";
import { counting, entry, hash, hashesOf, hexOf, scope } from "./helpers.js";
import { RedisCluster } from "./redis-cluster.js";

const postgres = usePostgresBaseline();
const createBaseline = () => postgres.baseline();

let cluster: RedisCluster;
let redis: Cluster;
beforeAll(async () => {
  cluster = await RedisCluster.start();
  redis = new Cluster(cluster.nodes);
  await redis.ping();
}, 30_000);
afterAll(async () => {
  redis?.disconnect();
  await cluster?.stop();
});

describe("Redis Cluster (3 masters on loopback)", () => {
  it("puts every key of one scope in one slot, and different scopes in different slots", async () => {
    const layout = new KeyLayout("sy:pc:");
    const s = scope();
    const tag = layout.scopeTag(s);
    const keys = Array.from({ length: 20 }, () => hash()).flatMap((h) => [
      layout.entry(tag, h),
      layout.negative(tag, h),
    ]);
    const slots = new Set<number>();
    for (const key of keys) slots.add(Number(await redis.call("CLUSTER", "KEYSLOT", key)));
    expect(slots.size).toBe(1);
    const others = new Set<number>();
    for (let i = 0; i < 20; i++) {
      others.add(
        Number(
          await redis.call("CLUSTER", "KEYSLOT", layout.entry(layout.scopeTag(scope()), hash())),
        ),
      );
    }
    expect(others.size).toBeGreaterThan(10);
  });

  it("serves lookups, writes and refreshes through the cluster, with 0 baseline lookups in steady state", async () => {
    const baseline = counting(createBaseline());
    const index = new RedisAcceleratedIndex({
      baseline: baseline.index,
      redis,
      commandTimeoutMs: 200,
    });
    const s = scope();
    const known = Array.from({ length: 5 }, hash);
    const candidates = [...known, ...Array.from({ length: 15 }, hash)];
    for (const h of known) await index.write(entry(s, h));
    expect(hashesOf(await index.lookup(s, candidates))).toEqual(hexOf(known));
    await new Promise((r) => setTimeout(r, 50));
    const before = baseline.calls.lookup;
    for (let i = 0; i < 100; i++) expect(await index.lookup(s, candidates)).toHaveLength(5);
    expect(baseline.calls.lookup).toBe(before);
    const later = new Date(Date.now() + 3_600_000);
    await index.refresh(s, known[0] as Uint8Array, later);
    const match = (await index.lookup(s, [known[0] as Uint8Array]))[0];
    expect(Math.abs((match?.expiresAt.getTime() ?? 0) - later.getTime())).toBeLessThan(100);
    expect(index.stats()).toMatchObject({ breakerState: "closed", redisErrors: 0 });
    await index.close();
  });
});

cacheIndexContract(
  () => ({
    index: new RedisAcceleratedIndex({
      baseline: createBaseline(),
      redis,
      keyPrefix: `sy-contract:${Math.random().toString(36).slice(2)}:`,
      commandTimeoutMs: 500,
    }),
  }),
  {
    label: "RedisAcceleratedIndex on a 3-node Redis Cluster meets the CacheIndex contract",
    sweep: true,
    teardown: (subject) => subject.index.close(),
  },
);
