import type { PrefixHash } from "@switchyard/core";
import { environmentLines, formatRate, markdownTable, writeResult } from "../lib/table.js";
import { measureLookups } from "./prefix-index-redis/latency.js";
import { entry, hash, setUp } from "./prefix-index-redis/setup.js";

const CANDIDATES = 20;
const HOT_ENTRIES = 100;
const REFRESH_RATE = 1_000;
const REFRESH_SECONDS = 3;

const ms = (value: number) => `${value.toFixed(3)} ms`;

/** Lookup latency and throughput, baseline vs accelerator; baseline queries in steady state; write-behind load. */
export async function run(args: readonly string[]): Promise<void> {
  const quick = args.includes("--quick");
  const samples = quick ? 300 : 3_000;
  const f = await setUp(1_000);
  try {
    let cursor = 0;
    const hitSet = (): PrefixHash[] => {
      // one stored prefix among 19 boundaries that never were: a typical breakpoint's candidates
      const hit = f.stored[cursor++ % f.stored.length] as PrefixHash;
      return [hit, ...missPool.slice(0, CANDIDATES - 1)];
    };
    const missPool = Array.from({ length: 200 }, hash);
    const missSet = (): PrefixHash[] => {
      const start = (cursor++ * 7) % (missPool.length - CANDIDATES);
      return missPool.slice(start, start + CANDIDATES);
    };
    const rows: string[][] = [];
    const add = (label: string, r: Awaited<ReturnType<typeof measureLookups>>) =>
      rows.push([label, ms(r.p50), ms(r.p99), formatRate(r.throughput)]);
    add(
      "baseline (Postgres) alone, hits",
      await measureLookups(f.postgres, f.scope, hitSet, samples, 32),
    );
    add(
      "baseline (Postgres) alone, misses",
      await measureLookups(f.postgres, f.scope, missSet, samples, 32),
    );
    // Warm the accelerator: every stored entry and every miss boundary is now known to Redis.
    const everything = [...f.stored, ...missPool];
    for (let i = 0; i < everything.length; i += CANDIDATES) {
      await f.accelerator.lookup(f.scope, everything.slice(i, i + CANDIDATES));
    }
    await new Promise((r) => setTimeout(r, 100));
    const before = f.baseline.calls.lookup;
    add("accelerator, hits", await measureLookups(f.accelerator, f.scope, hitSet, samples, 32));
    add("accelerator, misses", await measureLookups(f.accelerator, f.scope, missSet, samples, 32));
    const steadyLookups = 2 * (200 + 2 * samples); // two rows of warm-up, sequential and concurrent lookups
    const perThousand = ((f.baseline.calls.lookup - before) * 1000) / steadyLookups;

    const hot = f.stored.slice(0, HOT_ENTRIES);
    const refreshesBefore = f.baseline.calls.refresh;
    const flushesBefore = f.accelerator.stats().flushes;
    const interval = 1000 / REFRESH_RATE;
    const end = Date.now() + REFRESH_SECONDS * 1000;
    let sent = 0;
    while (Date.now() < end) {
      const h = hot[sent % HOT_ENTRIES] as PrefixHash;
      await f.accelerator.refresh(f.scope, h, entry(f.scope, h).expiresAt);
      sent++;
      await new Promise((r) => setTimeout(r, interval));
    }
    await f.accelerator.flush();
    const writes = f.baseline.calls.refresh - refreshesBefore;
    const flushes = Math.max(1, f.accelerator.stats().flushes - flushesBefore);
    const perFlush = writes / flushes;

    const table = markdownTable(
      ["lookup (20 candidates)", "p50", "p99", "lookups/s at 32 in flight"],
      rows,
      ["left", "right", "right", "right"],
    );
    const report = [
      "# Prefix index: Redis accelerator vs Postgres baseline",
      "",
      ...environmentLines(),
      `- ${samples} lookups per row; 1,000 stored entries; hits = 1 stored prefix + 19 unknown boundaries`,
      "",
      table,
      "",
      "## Goals",
      "",
      `- Baseline queries per 1,000 steady-state lookups: ${perThousand.toFixed(2)} (goal 0): ${perThousand === 0 ? "MET" : "NOT MET"}`,
      `- Postgres refresh writes under ${sent} refreshes in ${REFRESH_SECONDS} s of ${HOT_ENTRIES} hot entries: ${writes} in ${flushes} flushes = ${perFlush.toFixed(1)} per flush interval (goal <= ${HOT_ENTRIES}): ${perFlush <= HOT_ENTRIES ? "MET" : "NOT MET"}`,
      "",
    ].join("\n");
    console.log(report);
    if (!quick) console.log(`wrote ${await writeResult("prefix-index-redis", report)}`);
  } finally {
    await f.close();
  }
}
