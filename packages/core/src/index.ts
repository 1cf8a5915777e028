export type { CatalogModel, ModelCatalog } from "./catalog.js";
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
} from "./circuit-breaker.js";
export type {
  CostEstimate,
  InputTokenCounter,
  InputTokenEstimate,
} from "./engine/caller-estimates.js";
export { CONDITION_ORDER, type ConditionName } from "./engine/compiled-route.js";
export { PREPARE_STEP_CHARS, PreparedPrompt } from "./engine/prepared-prompt.js";
export { promptText } from "./engine/prompt-text.js";
export type { RoutingContext } from "./engine/request.js";
export {
  type RouteVerdict,
  RoutingEngine,
  type RoutingExplanation,
} from "./engine/routing-engine.js";
export type { RoutingRequest } from "./engine/routing-request.js";
export {
  CacheIndexError,
  errors,
  RouteConflictError,
  RouteValidationError,
  RoutingStoreError,
  SwitchyardError,
  type ValidationIssue,
} from "./errors.js";
export {
  type CacheEntry,
  type CacheIndex,
  type CacheMatch,
  hashHex,
  type IndexScope,
  isTtlTier,
  type PrefixHash,
  TTL_TIER_MS,
  TTL_TIERS,
  type TtlTier,
} from "./interfaces/cache-index.js";
export type { CacheSource, LoadContext } from "./interfaces/cache-source.js";
export type {
  RouteChange,
  RouteChangeFeed,
  RouteChangeSubscription,
  RoutingStore,
  UpdateRouteOptions,
} from "./interfaces/routing-store.js";
export { formatUsd, roundUsd, USD_DECIMALS } from "./money.js";
export {
  parseNewRoute,
  parseRoute,
  parseRouteAction,
  parseRouteConditions,
  parseRoutePatch,
} from "./route/decode.js";
export { freezeRoute, frozenRoute } from "./route/freeze.js";
export type { UnknownFields } from "./route/known-fields.js";
export {
  actionToWire,
  conditionsToWire,
  newRouteToWire,
  routeToWire,
  serializeRoute,
  type WireAction,
  type WireConditions,
  type WireNewRoute,
  type WireRoute,
} from "./route/serialize.js";
export { MAX_ROUTE_NAME_LENGTH, MAX_ROUTE_STRING_LENGTH } from "./route/text-rules.js";
export {
  DEFAULT_PRIORITY,
  emptyConditions,
  MAX_PRIORITY,
  type NewRoute,
  type Route,
  type RouteAction,
  type RouteConditions,
  type RoutePatch,
} from "./route/types.js";
export {
  applyRoutePatch,
  type RouteWriteOptions,
  unwrapValidation,
  type ValidationResult,
  validateNewRoute,
  validateRoutePatch,
} from "./route/validate.js";
export { isUuid, uuidv7 } from "./uuid.js";
export { withTimeout } from "./with-timeout.js";
