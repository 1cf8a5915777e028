export { blockTokenText } from "./block-text.js";
export { type Breakpoint, resolveBreakpoints } from "./breakpoints.js";
export { candidateIndices } from "./candidates.js";
export { canonicalJson } from "./canonical-json.js";
export type {
  Classification,
  ClassificationOutcome,
  PendingRefresh,
  PendingWrite,
} from "./classification.js";
export type { CommitResult } from "./commit.js";
export { type InvalidCacheControlBody, invalidCacheControlResponse } from "./error-response.js";
export {
  AutomaticCacheControlConflictError,
  AutomaticCacheControlNoSlotError,
  CacheTtlOrderError,
  DisabledCacheTtlError,
  errors,
  InvalidCacheControlError,
  InvalidCacheTtlError,
  InvalidPrefixCacheOptionsError,
  MalformedCacheControlError,
  SseFrameTooLargeError,
  TooManyCacheBreakpointsError,
  UnsupportedCacheControlTypeError,
} from "./errors.js";
export { applyGapCap, type CappedSplit, type GapCap } from "./gap-cap.js";
export { canonicalBlockBytes, prefixHashes } from "./hash.js";
export { DEFAULT_MARKER_OPTIONS, type MarkerOptions, parseMarker } from "./markers.js";
export type { PrefixCacheOptions } from "./options.js";
export {
  type BlockPath,
  type ParsedRequest,
  type PromptBlock,
  parseRequest,
} from "./parse-request.js";
export { PrefixCache, type RequestPrincipal } from "./prefix-cache.js";
export { type PreparedRequest, prepareRequest } from "./prepare-request.js";
export {
  type CacheTariff,
  type CacheTariffInput,
  DEFAULT_MIN_PREFIX_TOKENS,
  DEFAULT_READ_MULTIPLIER,
  DEFAULT_WRITE_MULTIPLIERS,
  type PriceBreakdown,
  type PricedTokens,
  priceUsage,
  resolveTariff,
} from "./pricing.js";
export { isSuccessfulResponse, type ResponseOutcome } from "./response-outcome.js";
export {
  parseSseFrame,
  type SseFrameFields,
  SseFrameSplitter,
  type SseFrameSplitterOptions,
} from "./sse-frames.js";
export { type FrameInspection, inspectFrame } from "./sse-usage-frame.js";
export { SseUsageRewriter, type UsageFrameEditor } from "./sse-usage-rewriter.js";
export type { PrefixCacheStats } from "./stats.js";
export { stripMarkers } from "./strip.js";
export {
  type CountPiece,
  countInPieces,
  fullTurn,
  MAX_TOKEN_PIECE,
  pieceEnd,
  SlicedCounter,
} from "./token-pieces.js";
export {
  createGptTokenizer,
  type GptEncodingName,
  type Tokenizer,
  type TokenSegment,
} from "./tokenizer.js";
export type { ApiFormat, CacheSplit, JsonObject, TierCounts } from "./types.js";
export {
  type BilledUsage,
  type ReportedUsage,
  reportUsage,
  type ScrubbedUsage,
  scrubUsage,
} from "./usage.js";
export { UsageStream } from "./usage-stream.js";
