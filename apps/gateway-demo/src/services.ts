import type { DashboardStatsRecorder } from "@switchyard/dashboard";
import type { ApiKeyIndex } from "./auth/api-keys.js";
import type { GatewayConfig } from "./config/types.js";
import type { Logger } from "./log/logger.js";
import type { GatewayMetrics } from "./metrics/metrics.js";
import type { BuiltAnswer } from "./pipeline/answer-stage.js";
import type { DispatchDeps } from "./pipeline/dispatch-stage.js";
import type { Pricing } from "./prompt-cache/pricing.js";
import type { PromptCacheService } from "./prompt-cache/prompt-cache-service.js";
import type { ResponseCache } from "./response-cache/response-cache.js";
import type { Database } from "./stores/database.js";
import type { DependencyHealth } from "./stores/dependency-health.js";
import type { RouteStoreHandle } from "./stores/route-store.js";
import type { ProviderSet } from "./upstream/providers.js";

/** Everything the handlers share, built once at start by gateway.ts. */
export interface GatewayServices {
  readonly config: GatewayConfig;
  readonly keys: ApiKeyIndex;
  readonly routes: RouteStoreHandle;
  readonly providers: ProviderSet;
  readonly dispatch: DispatchDeps;
  /** The exact response cache (L1, per process). */
  readonly responseCache: ResponseCache<BuiltAnswer>;
  /** Prompt-prefix cache accounting and its index. */
  readonly promptCache: PromptCacheService;
  readonly pricing: Pricing;
  /** `undefined` when `metrics.enabled` is false. */
  readonly metrics: GatewayMetrics | undefined;
  /** The shared Postgres pool, when `route_store.database_url` is set. */
  readonly database: Database | undefined;
  /** Which dependencies answer (`/readyz`, `switchyard_dependency_up`). */
  readonly health: DependencyHealth;
  readonly logger: Logger;
  /** Per-org counters behind the dashboard's `GET /v1/dashboard/stats`; `undefined` when `dashboard.enabled` is false. */
  readonly dashboardStats: DashboardStatsRecorder | undefined;
  /** Set when shutdown began: readiness fails, responses ask clients to reconnect elsewhere. */
  draining: boolean;
}
