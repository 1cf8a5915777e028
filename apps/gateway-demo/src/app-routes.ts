import { completionHandler } from "./handlers/completion-handler.js";
import { addDashboardRoutes } from "./handlers/dashboard-handler.js";
import { explainHandler } from "./handlers/explain-handler.js";
import { healthz, readyz } from "./handlers/health-handler.js";
import { metricsHandler } from "./handlers/metrics-handler.js";
import { modelsHandler } from "./handlers/models-handler.js";
import { routeHandlers } from "./handlers/routes-handler.js";
import { Router } from "./http/router.js";
import type { GatewayServices } from "./services.js";

/** Every endpoint of the gateway. */
export function buildRouter(services: GatewayServices): Router {
  const routes = routeHandlers(services);
  const router = new Router()
    .add("POST", "/v1/chat/completions", completionHandler(services, "openai"))
    .add("POST", "/v1/messages", completionHandler(services, "anthropic"))
    .add("GET", "/v1/models", modelsHandler(services))
    .add("GET", "/v1/routes", routes.list)
    .add("POST", "/v1/routes", routes.create)
    .add("POST", "/v1/routes/explain", explainHandler(services))
    .add("GET", "/v1/routes/:id", routes.get)
    .add("PATCH", "/v1/routes/:id", routes.patch)
    .add("DELETE", "/v1/routes/:id", routes.remove)
    .add("GET", "/healthz", healthz)
    .add("GET", "/readyz", readyz(services));
  addDashboardRoutes(router, services);
  if (services.metrics) router.add("GET", "/metrics", metricsHandler(services.metrics));
  return router;
}
