import type { Handler } from "../http/router.js";
import { sendObject } from "../http/send.js";
import type { GatewayServices } from "../services.js";

/** `GET /healthz`: the process is up. */
export const healthz: Handler = (_req, res) => sendObject(res, 200, { status: "ok" });

/**
 * `GET /readyz`: not draining and the route store answers. The prompt-cache
 * index is reported but never fails readiness (accounting degrades to "no
 * cache", and Redis is never relied upon).
 */
export function readyz(services: GatewayServices): Handler {
  return async (_req, res) => {
    if (services.draining) return sendObject(res, 503, { status: "draining" });
    const store = await services.routes.ping();
    sendObject(res, store ? 200 : 503, {
      status: store ? "ready" : "unavailable",
      route_store: { kind: services.routes.kind, ok: store },
      prompt_cache: {
        index: services.promptCache.kind,
        ...(services.promptCache.redisStats
          ? { redis_breaker: services.promptCache.redisStats().breakerState }
          : {}),
      },
    });
  };
}
