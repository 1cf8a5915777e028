import type { CacheIndex } from "@switchyard/core";
import {
  type BilledUsage,
  type Classification,
  type CommitResult,
  InvalidCacheControlError,
  isSuccessfulResponse,
  PrefixCache,
  type PreparedRequest,
  type ResponseOutcome,
} from "@switchyard/prefix-index";
import { RedisAcceleratedIndex, type RedisIndexStats } from "@switchyard/prefix-index-redis";
import { MemoryCacheIndex } from "@switchyard/store-memory";
import { PostgresCacheIndex } from "@switchyard/store-postgres";
import type { Redis } from "ioredis";
import type { GatewayConfig } from "../config/types.js";
import { GatewayError } from "../errors/gateway-error.js";
import { type Logger, storeLogger } from "../log/logger.js";
import type { PromptCacheMetrics } from "../metrics/metrics.js";
import type { ApiKind } from "../protocol/api-kind.js";
import { isRecord, type JsonObject } from "../protocol/json.js";
import type { Database } from "../stores/database.js";
import { tariffInput } from "./pricing.js";
import { quit, redisClient, waitReady } from "./redis-client.js";

export type PromptIndexKind = "memory" | "postgres" | "memory+redis" | "postgres+redis";

/** How long start-up waits for Redis before serving without it (it connects on its own later). */
const REDIS_READY_WAIT_MS = 1_000;

/**
 * Prompt-prefix cache accounting for the gateway (`@switchyard/prefix-index`
 * over the configured index): which requested models are accounted (those
 * with a `cache_tariff`), marker validation as the gateway's 400, the
 * post-response commits (tracked, so shutdown waits for them before the
 * Redis accelerator flushes its pending refreshes), and the token counters
 * behind `/metrics`.
 */
export class PromptCacheService {
  private readonly pending = new Set<Promise<unknown>>();
  private readonly readTokens = new Map<string, number>();
  private readonly writtenTokens = new Map<string, number>();
  private invalidMarkers = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private closed: Promise<void> | undefined;

  private constructor(
    readonly kind: PromptIndexKind,
    readonly prefix: PrefixCache,
    private readonly accounted: ReadonlySet<string>,
    private readonly redis: { index: RedisAcceleratedIndex; client: Redis } | undefined,
    private readonly logger: Logger,
  ) {}

  /**
   * The index: Postgres with a database, else memory; with
   * `prompt_cache.redis_url` the Redis accelerator in front of it. Redis
   * being down at start is not an error (the accelerator falls back to the
   * baseline and its client keeps reconnecting).
   */
  static async open(
    config: GatewayConfig,
    database: Database | undefined,
    logger: Logger,
  ): Promise<PromptCacheService> {
    const pc = config.promptCache;
    const log = storeLogger(logger);
    const baseline: CacheIndex =
      database === undefined
        ? new MemoryCacheIndex({ maxEntries: pc.memoryMaxEntries, logger: log })
        : new PostgresCacheIndex({ knex: database.knex, logger: log });
    let index: CacheIndex = baseline;
    let redis: { index: RedisAcceleratedIndex; client: Redis } | undefined;
    if (pc.redisUrl !== undefined) {
      const client = redisClient(pc.redisUrl, logger);
      await waitReady(client, REDIS_READY_WAIT_MS);
      const accelerated = new RedisAcceleratedIndex({
        baseline,
        redis: client,
        commandTimeoutMs: pc.redisCommandTimeoutMs,
        flushIntervalMs: pc.redisFlushIntervalMs,
        onError: (error, operation) =>
          logger.debug({ err: error, operation }, "prompt cache: redis call failed"),
      });
      redis = { index: accelerated, client };
      index = accelerated;
    }
    const tariffs: Record<string, ReturnType<typeof tariffInput> & object> = {};
    for (const model of config.models.values()) {
      // Models that bill the provider's own cache numbers keep their markers for the upstream.
      const own = model.cacheTariff !== undefined && model.cacheAccounting === "gateway";
      const input = own ? tariffInput(model) : undefined;
      if (input) tariffs[model.name] = input;
    }
    const prefix = new PrefixCache({
      index,
      tariffs,
      enabledTtlTiers: pc.enabledTtlTiers,
      defaultTtl: pc.defaultTtl,
      lookupTimeoutMs: pc.lookupTimeoutMs,
      commitDeadlineMs: pc.commitDeadlineMs,
    });
    const base = database === undefined ? "memory" : "postgres";
    const kind: PromptIndexKind = redis ? `${base}+redis` : base;
    const accounted = pc.enabled ? new Set(Object.keys(tariffs)) : new Set<string>();
    const service = new PromptCacheService(kind, prefix, accounted, redis, logger);
    if (baseline instanceof PostgresCacheIndex && pc.sweepIntervalMs > 0) {
      service.sweeper = setInterval(() => {
        baseline.sweep(new Date()).catch((error: unknown) => {
          logger.warn({ err: error }, "prompt cache: sweeping expired entries failed");
        });
      }, pc.sweepIntervalMs);
      service.sweeper.unref();
    }
    return service;
  }

  /** Whether requests for this (virtual, requested) model get prompt-cache accounting. */
  accounts(virtualModel: string): boolean {
    return this.accounted.has(virtualModel);
  }

  /**
   * Validates and strips the markers (a 400 `invalid_cache_control` in the
   * client's envelope, before anything is dispatched). `hasMarkers: false`
   * (the raw body has no `"cache_control"` at all) skips the parse: there is
   * nothing to validate, strip or classify.
   */
  prepare(api: ApiKind, body: JsonObject, hasMarkers: boolean): PreparedRequest<JsonObject> {
    if (!hasMarkers) return withoutMarkers(api, body);
    try {
      return this.prefix.prepare(body, api);
    } catch (error) {
      if (!(error instanceof InvalidCacheControlError)) throw error;
      this.invalidMarkers++;
      throw new GatewayError(400, "invalid_request_error", "invalid_cache_control", error.message, {
        param: "cache_control",
        codeInAnthropicEnvelope: true,
      });
    }
  }

  /** Starts the classification (never rejects); run it alongside the upstream call. */
  classify(
    prepared: PreparedRequest,
    orgId: string,
    virtualModel: string,
  ): Promise<Classification> {
    return this.prefix.classify(prepared, { principalId: orgId, virtualModel });
  }

  /**
   * Records the request's writes and refresh after its response, only on
   * success (the package's gate), and counts its billed read and committed
   * written tokens. Not awaited by the request; tracked so shutdown waits for it.
   */
  commit(classification: Classification, outcome: ResponseOutcome): Promise<CommitResult> {
    const virtualModel = classification.scope.virtualModel;
    const { billed } = outcome;
    if (billed && billed.cacheReadTokens > 0 && isSuccessfulResponse(outcome)) {
      add(this.readTokens, virtualModel, billed.cacheReadTokens);
    }
    const done = this.prefix.commit(classification, outcome).then((result) => {
      if (result === "committed" && billed) this.countWrites(virtualModel, billed);
      return result;
    });
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return done;
  }

  /** Counts the cache reads and writes of a provider-billed answer (`cache_accounting: "provider"`). */
  countProviderUsage(model: string, billed: BilledUsage): void {
    if (billed.cacheReadTokens > 0) add(this.readTokens, model, billed.cacheReadTokens);
    this.countWrites(model, billed);
  }

  private countWrites(model: string, billed: BilledUsage): void {
    for (const tier of ["5m", "1h", "24h"] as const) {
      const n = billed.cacheCreationTokens[tier];
      if (n > 0) add(this.writtenTokens, `${model}\u0000${tier}`, n);
    }
  }

  metrics(): PromptCacheMetrics {
    return {
      stats: this.prefix.stats(),
      readTokens: this.readTokens,
      writtenTokens: this.writtenTokens,
      invalidMarkers: this.invalidMarkers,
    };
  }

  /** The Redis accelerator's stats (breaker state included), when configured. */
  get redisStats(): (() => RedisIndexStats) | undefined {
    const redis = this.redis;
    return redis ? () => redis.index.stats() : undefined;
  }

  /** The Redis accelerator's connection and breaker now, when configured (readiness, metrics). */
  get redisHealth(): (() => { connected: boolean; breaker: string }) | undefined {
    const redis = this.redis;
    return redis
      ? () => ({
          connected: redis.client.status === "ready",
          breaker: redis.index.stats().breakerState,
        })
      : undefined;
  }

  /**
   * Waits for the commits in flight (each bounded by `commit_deadline_ms`),
   * then flushes the accelerator's pending refreshes to the baseline and
   * closes the Redis client. Call before the database closes.
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      if (this.sweeper) clearInterval(this.sweeper);
      await Promise.allSettled([...this.pending]);
      if (this.redis) {
        await this.redis.index.close().catch((error: unknown) => {
          this.logger.warn({ err: error }, "prompt cache: flushing pending refreshes failed");
        });
        await quit(this.redis.client);
      }
    })();
    return this.closed;
  }
}

/**
 * What `prepare` returns for a body without any marker, without parsing it
 * into blocks: no breakpoints (classification is "no-breakpoints"), the body
 * unchanged except `stream_options.include_usage` forced on an OpenAI stream,
 * exactly as the package's stripping does.
 */
function withoutMarkers(api: ApiKind, body: JsonObject): PreparedRequest<JsonObject> {
  const stream = body.stream === true;
  let forwardBody = body;
  if (api === "openai" && stream) {
    const options = isRecord(body.stream_options) ? body.stream_options : {};
    if (options.include_usage !== true) {
      forwardBody = { ...body, stream_options: { ...options, include_usage: true } };
    }
  }
  return { format: api, blocks: [], breakpoints: [], forwardBody, stream };
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}
