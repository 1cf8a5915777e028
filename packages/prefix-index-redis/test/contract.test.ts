import { cacheIndexContract } from "@switchyard/conformance";
import Redis from "ioredis";
import { afterAll } from "vitest";
import { RedisAcceleratedIndex } from "../src/index.js";
import { usePostgresBaseline } from "./baseline.js";

const postgres = usePostgresBaseline();
const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL)
  throw new Error("REDIS_URL is not set: run the tests through the repository's test command");
const redis = new Redis(REDIS_URL);
afterAll(async () => {
  await redis.quit();
});

cacheIndexContract(
  () => {
    const index = new RedisAcceleratedIndex({
      baseline: postgres.baseline(),
      redis,
      keyPrefix: `sy-contract:${Math.random().toString(36).slice(2)}:`,
      commandTimeoutMs: 500,
    });
    // No queries(): a cold lookup is a Redis round trip plus a baseline query by design;
    // the accelerator's own tests count round trips (0 baseline lookups in steady state).
    return { index };
  },
  {
    label: "RedisAcceleratedIndex over PostgresCacheIndex meets the CacheIndex contract",
    sweep: true,
    teardown: (subject) => subject.index.close(),
  },
);
