import type { ApiKeyIndex } from "./auth/api-keys.js";
import type { GatewayConfig } from "./config/types.js";
import type { Logger } from "./log/logger.js";
import type { DispatchDeps } from "./pipeline/dispatch-stage.js";
import type { RouteStoreHandle } from "./stores/route-store.js";
import type { ProviderSet } from "./upstream/providers.js";

/** Everything the handlers share, built once at start by gateway.ts. */
export interface GatewayServices {
  readonly config: GatewayConfig;
  readonly keys: ApiKeyIndex;
  readonly routes: RouteStoreHandle;
  readonly providers: ProviderSet;
  readonly dispatch: DispatchDeps;
  readonly logger: Logger;
  /** Set when shutdown began: readiness fails, responses ask clients to reconnect elsewhere. */
  draining: boolean;
}
