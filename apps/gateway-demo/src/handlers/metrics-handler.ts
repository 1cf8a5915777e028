import type { Handler } from "../http/router.js";
import type { GatewayMetrics } from "../metrics/metrics.js";

/** `GET /metrics`: Prometheus text exposition (no key: scrape it on a private interface). */
export function metricsHandler(metrics: GatewayMetrics): Handler {
  return async (_req, res) => {
    const text = await metrics.text();
    res.statusCode = 200;
    res.setHeader("content-type", metrics.contentType);
    res.setHeader("content-length", Buffer.byteLength(text));
    res.end(text);
  };
}
