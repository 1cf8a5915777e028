import type { IndexScope } from "@switchyard/core";
import { type Classification, noCache } from "./classification.js";
import { classifyPrefix } from "./classify.js";
import { type CommitResult, commitClassification } from "./commit.js";
import { type PrefixCacheOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { type PreparedRequest, prepareRequest } from "./prepare-request.js";
import { type CacheTariff, type PriceBreakdown, type PricedTokens, priceUsage } from "./pricing.js";
import type { ResponseOutcome } from "./response-outcome.js";
import { emptyStats, type PrefixCacheStats } from "./stats.js";
import { type ApiFormat, isJsonObject } from "./types.js";
import { type ReportedUsage, reportUsage } from "./usage.js";
import { UsageStream } from "./usage-stream.js";

/** Who is asking: the scope minus the tokenizer version, which the cache adds. */
export interface RequestPrincipal {
  /** The org (or personal user) owning the API key. */
  readonly principalId: string;
  /** The user-facing model name, before routing rewrites it. */
  readonly virtualModel: string;
}

/**
 * Prompt-prefix cache accounting for one gateway: validate and strip markers
 * (`prepare`), classify reads and writes against the index (`classify`, in
 * parallel with the upstream call), rewrite the usage the client sees
 * (`reportUsage`, `usageStream`), price it (`price`), and record the prefixes
 * after a successful response (`commit`). Only `prepare` throws (an invalid
 * marker is the client's 400); everything after it degrades to "no cache".
 */
export class PrefixCache {
  private readonly options: ResolvedOptions;
  private readonly counters = emptyStats();

  constructor(options: PrefixCacheOptions) {
    this.options = resolveOptions(options);
  }

  /** The tokenizer version every scope of this cache uses. */
  get tokenizerVersion(): string {
    return this.options.tokenizer.version;
  }

  /**
   * Parse, validate and strip, synchronously, before forwarding. Throws an
   * `InvalidCacheControlError` subclass; answer it with `invalidCacheControlResponse`.
   */
  prepare<T>(body: T, format: ApiFormat): PreparedRequest<T> {
    return prepareRequest(body, format, this.options.markers);
  }

  /**
   * The cache split of a prepared request. Run it alongside the upstream call.
   * Never rejects: index or tokenizer failures, timeouts included, are "no cache".
   */
  async classify(prepared: PreparedRequest, principal: RequestPrincipal): Promise<Classification> {
    const stats = this.counters;
    stats.classifications++;
    const scope: IndexScope = {
      principalId: principal.principalId,
      virtualModel: principal.virtualModel,
      tokenizerVersion: this.options.tokenizer.version,
    };
    const tariff = this.options.tariffs.get(principal.virtualModel);
    if (tariff === undefined) {
      stats.disabled++;
      return noCache(scope, false, "disabled");
    }
    const result = await classifyPrefix({
      blocks: prepared.blocks,
      breakpoints: prepared.breakpoints,
      scope,
      index: this.options.index,
      tokenizer: this.options.tokenizer,
      minPrefixTokens: tariff.minPrefixTokens,
      lookupTimeoutMs: this.options.lookupTimeoutMs,
    });
    if (result.read > 0) stats.reads++;
    switch (result.outcome) {
      case "no-breakpoints":
        stats.noBreakpoints++;
        break;
      case "pure-read":
        stats.pureReads++;
        break;
      case "write":
        stats.writes++;
        break;
      case "below-floor":
        stats.belowFloor++;
        break;
      case "index-error":
        stats.indexErrors++;
        break;
      case "index-timeout":
        stats.indexTimeouts++;
        break;
      case "tokenizer-error":
        stats.tokenizerErrors++;
        break;
      default:
        stats.classifyErrors++;
    }
    return result;
  }

  /**
   * The usage object the client sees for a JSON response (`body.usage`), and
   * what it bills. `undefined` when `usage` is not an object (no usage: the
   * response is not a success and nothing will be committed).
   */
  reportUsage(
    format: ApiFormat,
    usage: unknown,
    classification: Classification,
  ): ReportedUsage | undefined {
    if (!isJsonObject(usage)) return undefined;
    return reportUsage(format, usage, classification.enabled ? classification : null);
  }

  /** A rewriter for a streamed response: pipe the upstream's raw SSE bytes through it. */
  usageStream(
    format: ApiFormat,
    classification: Classification | Promise<Classification>,
  ): UsageStream {
    return new UsageStream(format, classification);
  }

  /** The model's tariff, or `undefined` when the model is not cached. */
  tariff(virtualModel: string): CacheTariff | undefined {
    return this.options.tariffs.get(virtualModel);
  }

  /** The price of billed tokens under the model's tariff; `undefined` without a tariff. */
  price(virtualModel: string, tokens: PricedTokens): PriceBreakdown | undefined {
    const tariff = this.options.tariffs.get(virtualModel);
    return tariff === undefined ? undefined : priceUsage(tariff, tokens);
  }

  /**
   * Records the pending writes and refresh after a successful response only
   * (2xx with usage; a stream with a usage frame and no error frame), within
   * `commitDeadlineMs`. Never rejects; every ending is counted in `stats()`.
   * Call it off the response path (after the last byte went out).
   */
  async commit(classification: Classification, outcome: ResponseOutcome): Promise<CommitResult> {
    const result = await commitClassification(this.options.index, classification, outcome, {
      deadlineMs: this.options.commitDeadlineMs,
      now: this.options.now,
    }).catch((): CommitResult => "failed");
    const stats = this.counters;
    switch (result) {
      case "committed":
        stats.commitsApplied++;
        break;
      case "failed":
        stats.commitsFailed++;
        break;
      case "timed-out":
        stats.commitsTimedOut++;
        break;
      case "skipped-failed-response":
        stats.commitsSkippedFailedResponse++;
        break;
      case "skipped-gap-cap":
        stats.commitsSkippedGapCap++;
        break;
      case "nothing-to-commit":
        stats.commitsNothingPending++;
        break;
    }
    return result;
  }

  /** A snapshot of the counters. */
  stats(): PrefixCacheStats {
    return { ...this.counters };
  }
}
