import type { L1CacheStats } from "@switchyard/cache-l1";
import { Counter, Gauge, type Registry } from "prom-client";
import type { ResponseCacheCounters } from "../response-cache/response-cache.js";
import { resetting, resettingGauge } from "./scrape-collect.js";

/** `switchyard_response_cache_*`: the response cache's results, read at scrape time. */
export function registerResponseCache(
  registers: Registry[],
  read: () => ResponseCacheCounters,
): void {
  new Counter({
    name: "switchyard_response_cache_requests_total",
    help: "Completion requests by response-cache result: hit (served from the cache), coalesced (joined an identical request in flight), miss (looked up, went upstream), bypass (not cacheable or disabled).",
    labelNames: ["result"],
    registers,
    collect: resetting((m) => {
      const c = read();
      m.inc({ result: "hit" }, c.hits);
      m.inc({ result: "coalesced" }, c.coalesced);
      m.inc({ result: "miss" }, c.misses);
      m.inc({ result: "bypass" }, c.bypasses);
    }),
  });
  new Counter({
    name: "switchyard_response_cache_stores_total",
    help: "Answers loaded for the response cache, by whether they were stored or not (tool calls, too large, not a complete answer).",
    labelNames: ["result"],
    registers,
    collect: resetting((m) => {
      const c = read();
      m.inc({ result: "stored" }, c.stored);
      m.inc({ result: "not_stored" }, c.notStored);
    }),
  });
}

const L1_FIELDS: Array<[keyof L1CacheStats, string, string]> = [
  ["hits", "hits", "Fresh values served from memory."],
  ["misses", "misses", "Lookups that found no fresh value."],
  ["coalesced", "coalesced", "Callers that joined a load already in flight (single-flight)."],
  ["loads", "loads", "Loads started."],
  ["loadErrors", "load_errors", "Loads that failed (never cached)."],
  [
    "staleIfErrorHits",
    "stale_if_error_hits",
    "Stale values served because their reload failed (the source is down).",
  ],
  ["discardedLoads", "discarded_loads", "Loaded values not stored (invalidated or uncacheable)."],
  ["evictions", "evictions", "Entries evicted by the size bound (SIEVE)."],
  ["expirations", "expirations", "Expired entries swept."],
];

/** `switchyard_l1_cache_*`: every L1 cache's stats by cache name, read at scrape time. */
export function registerL1(
  registers: Registry[],
  read: () => ReadonlyArray<readonly [string, L1CacheStats]>,
): void {
  for (const [field, name, help] of L1_FIELDS) {
    new Counter({
      name: `switchyard_l1_cache_${name}_total`,
      help: `L1 cache: ${help} By cache: route_engines (compiled routing engine per org), responses (the response cache).`,
      labelNames: ["cache"],
      registers,
      collect: resetting((m) => {
        for (const [cache, stats] of read()) m.inc({ cache }, stats[field] as number);
      }),
    });
  }
  new Gauge({
    name: "switchyard_l1_cache_entries",
    help: "L1 cache: entries held now, by cache.",
    labelNames: ["cache"],
    registers,
    collect: resettingGauge((m) => {
      for (const [cache, stats] of read()) m.set({ cache }, stats.size);
    }),
  });
  new Gauge({
    name: "switchyard_l1_cache_in_flight",
    help: "L1 cache: loads in flight now, by cache.",
    labelNames: ["cache"],
    registers,
    collect: resettingGauge((m) => {
      for (const [cache, stats] of read()) m.set({ cache }, stats.inFlight);
    }),
  });
}
