import type { Handler } from "../http/router.js";
import { sendObject } from "../http/send.js";
import type { GatewayServices } from "../services.js";

/** `GET /healthz`: the process is up (liveness). */
export const healthz: Handler = (_req, res) => sendObject(res, 200, { status: "ok" });

/**
 * `GET /readyz`: "can serve". 503 only while draining. A dependency that is
 * down does not make the gateway unready (routes are served from the engines
 * in memory, accounting degrades to "no cache", Redis is never relied upon):
 * it answers 200 with `status: "degraded"` and names it in `degraded`.
 */
export function readyz(services: GatewayServices): Handler {
  return async (_req, res) => {
    if (services.draining) return sendObject(res, 503, { status: "draining" });
    const d = await services.health.check();
    sendObject(res, 200, {
      status: d.degraded.length === 0 ? "ready" : "degraded",
      route_store: { kind: services.routes.kind, ok: d.routeStore },
      prompt_cache: {
        index: services.promptCache.kind,
        ok: d.promptCacheIndex,
        ...(d.redis ? { redis_connected: d.redis.connected, redis_breaker: d.redis.breaker } : {}),
      },
      degraded: d.degraded,
    });
  };
}
