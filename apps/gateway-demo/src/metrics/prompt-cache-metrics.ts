import type { PrefixCacheStats } from "@switchyard/prefix-index";
import type { RedisIndexStats } from "@switchyard/prefix-index-redis";
import { Counter, Gauge, type Registry } from "prom-client";
import { resetting, resettingGauge } from "./scrape-collect.js";

/** Token counters kept by the prompt-cache stage. */
export interface PromptCacheMetrics {
  readonly stats: PrefixCacheStats;
  /** Billed cache-read tokens of successful responses, by virtual model. */
  readonly readTokens: ReadonlyMap<string, number>;
  /** Committed cache-write tokens, by `model\u0000tier`. */
  readonly writtenTokens: ReadonlyMap<string, number>;
  readonly invalidMarkers: number;
}

const OUTCOMES: Array<[keyof PrefixCacheStats, string]> = [
  ["disabled", "disabled"],
  ["noBreakpoints", "no_breakpoints"],
  ["pureReads", "pure_read"],
  ["writes", "write"],
  ["belowFloor", "below_floor"],
  ["indexErrors", "index_error"],
  ["indexTimeouts", "index_timeout"],
  ["tokenizerErrors", "tokenizer_error"],
  ["classifyErrors", "error"],
];

const COMMITS: Array<[keyof PrefixCacheStats, string]> = [
  ["commitsApplied", "committed"],
  ["commitsNothingPending", "nothing_to_commit"],
  ["commitsSkippedFailedResponse", "skipped_failed_response"],
  ["commitsSkippedGapCap", "skipped_gap_cap"],
  ["commitsTimedOut", "timed_out"],
  ["commitsFailed", "failed"],
];

/** `switchyard_prompt_cache_*`: tokens, classifications and commits, read at scrape time. */
export function registerPromptCache(
  registers: Registry[],
  read: () => PromptCacheMetrics | undefined,
): void {
  new Counter({
    name: "switchyard_prompt_cache_read_tokens_total",
    help: "Prompt tokens billed as cache reads on successful responses, by requested (virtual) model.",
    labelNames: ["model"],
    registers,
    collect: resetting((m) => {
      const p = read();
      if (p) for (const [model, n] of p.readTokens) m.inc({ model }, n);
    }),
  });
  new Counter({
    name: "switchyard_prompt_cache_written_tokens_total",
    help: "Prompt tokens billed as cache writes and committed to the index, by requested (virtual) model and TTL tier.",
    labelNames: ["model", "ttl"],
    registers,
    collect: resetting((m) => {
      const p = read();
      if (!p) return;
      for (const [key, n] of p.writtenTokens) {
        const [model = "", ttl = ""] = key.split("\u0000");
        m.inc({ model, ttl }, n);
      }
    }),
  });
  new Counter({
    name: "switchyard_prompt_cache_classifications_total",
    help: "Prompt-cache classifications by outcome (index errors and timeouts mean no cache for that request, never an error).",
    labelNames: ["outcome"],
    registers,
    collect: resetting((m) => {
      const p = read();
      if (p) for (const [field, outcome] of OUTCOMES) m.inc({ outcome }, p.stats[field]);
    }),
  });
  new Counter({
    name: "switchyard_prompt_cache_commits_total",
    help: "Post-response commits of prefix-cache writes and refreshes, by result.",
    labelNames: ["result"],
    registers,
    collect: resetting((m) => {
      const p = read();
      if (p) for (const [field, result] of COMMITS) m.inc({ result }, p.stats[field]);
    }),
  });
  new Counter({
    name: "switchyard_prompt_cache_invalid_markers_total",
    help: "Requests refused with 400 invalid_cache_control (nothing dispatched).",
    registers,
    collect: resetting((m) => {
      m.inc(read()?.invalidMarkers ?? 0);
    }),
  });
}

const REDIS_FIELDS: Array<[keyof RedisIndexStats, string, string]> = [
  ["hits", "hits", "Candidates answered from Redis as live entries."],
  ["misses", "misses", "Candidates answered from Redis as known misses."],
  [
    "baselineLookups",
    "baseline_lookups",
    "Lookups that asked the baseline about unknown candidates.",
  ],
  [
    "baselineFallbacks",
    "baseline_fallbacks",
    "Lookups served by the baseline alone (Redis failed, slow or its breaker open).",
  ],
  ["redisErrors", "errors", "Redis calls that failed or timed out."],
  ["redisTimeouts", "timeouts", "Redis calls that timed out."],
  ["breakerOpens", "breaker_opens", "Times the breaker opened."],
  ["flushes", "flushes", "Write-behind refresh flushes."],
  ["flushedRefreshes", "flushed_refreshes", "Refreshes written to the baseline by flushes."],
];

/** `switchyard_prompt_cache_redis_*` (its breaker state aside): the accelerator's stats. */
export function registerRedisStats(registers: Registry[], read: () => RedisIndexStats): void {
  new Gauge({
    name: "switchyard_prompt_cache_redis_pending_refreshes",
    help: "Refreshes waiting for the next write-behind flush to the baseline index.",
    registers,
    collect: resettingGauge((m) => m.set(read().pendingRefreshes)),
  });
  for (const [field, name, help] of REDIS_FIELDS) {
    new Counter({
      name: `switchyard_prompt_cache_redis_${name}_total`,
      help: `Redis accelerator: ${help}`,
      registers,
      collect: resetting((m) => m.inc(read()[field] as number)),
    });
  }
}
