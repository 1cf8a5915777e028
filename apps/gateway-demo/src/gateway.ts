import { DashboardStatsRecorder } from "@switchyard/dashboard";
import { buildRouter } from "./app-routes.js";
import { ApiKeyIndex } from "./auth/api-keys.js";
import type { GatewayConfig } from "./config/types.js";
import { finishHook } from "./finish-hook.js";
import { startHttpServer } from "./http/server.js";
import { createLogger, flushLogger, type Logger } from "./log/logger.js";
import { GatewayMetrics } from "./metrics/metrics.js";
import { MockUpstream } from "./mock/mock-upstream.js";
import type { BuiltAnswer } from "./pipeline/answer-stage.js";
import { Pricing } from "./prompt-cache/pricing.js";
import { PromptCacheService } from "./prompt-cache/prompt-cache-service.js";
import { ResponseCache } from "./response-cache/response-cache.js";
import type { GatewayServices } from "./services.js";
import { type Database, openDatabase } from "./stores/database.js";
import { DependencyHealth } from "./stores/dependency-health.js";
import { openRouteStore, type RouteStoreHandle, seedRoutes } from "./stores/route-store.js";
import { ProviderSet } from "./upstream/providers.js";

export interface GatewayOptions {
  /** Default: pino on stdout at `log.level`. */
  readonly logger?: Logger;
}

export interface Gateway {
  readonly url: string;
  readonly config: GatewayConfig;
  readonly services: GatewayServices;
  /** The built-in mock upstream, when `mock_upstream.enabled`. */
  readonly mock: MockUpstream | undefined;
  /**
   * Graceful shutdown: stop accepting, drain in-flight requests, close the
   * upstream pools and caches, wait for prompt-cache commits, flush the Redis
   * accelerator's pending refreshes, close the stores and the database.
   */
  close(): Promise<void>;
}

/** Starts everything the configuration describes and listens. */
export async function startGateway(
  config: GatewayConfig,
  options: GatewayOptions = {},
): Promise<Gateway> {
  const logger = options.logger ?? createLogger(config.log.level);
  const opened: Array<() => Promise<void>> = [];
  const closeOpened = async () => {
    for (const close of opened.reverse()) await close().catch(() => undefined);
  };
  try {
    const mock = config.mockUpstream.enabled
      ? await MockUpstream.start({ host: config.mockUpstream.host, port: config.mockUpstream.port })
      : undefined;
    if (mock) opened.push(() => mock.close());
    const url = config.routeStore.databaseUrl;
    const database: Database | undefined = url === undefined ? undefined : await openDatabase(url);
    if (database) opened.push(() => database.close());
    const routes: RouteStoreHandle = await openRouteStore(config, logger, database);
    opened.push(() => routes.close());
    await seedRoutes(routes.store, config.orgs);
    const promptCache = await PromptCacheService.open(config, database, logger);
    opened.push(() => promptCache.close());
    const providers = new ProviderSet(
      config,
      mock && { openai: mock.baseUrlFor("openai"), anthropic: mock.baseUrlFor("anthropic") },
    );
    opened.push(() => providers.destroy());
    const responseCache = new ResponseCache<BuiltAnswer>(config.responseCache);
    opened.push(() => responseCache.close());
    const health = new DependencyHealth({
      routeStore: () => routes.ping(),
      promptCacheIndexOnDatabase: database !== undefined,
      redis: promptCache.redisHealth,
    });
    const metrics = config.metrics.enabled
      ? new GatewayMetrics(
          {
            l1: () => [
              ["route_engines", routes.store.stats()],
              ["responses", responseCache.stats()],
            ],
            responseCache: () => responseCache.counters,
            promptCache: () => promptCache.metrics(),
            redis: promptCache.redisStats,
            breakers: () => [...providers.all()].map((p) => [p.name, p.breaker.state] as const),
            isCatalogModel: (name) => config.models.has(name),
            dependencies: () => health.states(),
          },
          { processMetrics: config.metrics.processMetrics },
        )
      : undefined;
    const services: GatewayServices = {
      config,
      keys: new ApiKeyIndex(config.orgs),
      routes,
      providers,
      dispatch: { models: config.models, providers, retry: config.retry },
      responseCache,
      promptCache,
      pricing: new Pricing(config.models),
      metrics,
      database,
      health,
      logger,
      dashboardStats: config.dashboard.enabled ? new DashboardStatsRecorder() : undefined,
      draining: false,
    };
    const http = await startHttpServer(
      {
        config: config.server,
        logger,
        draining: () => services.draining,
        onFinish: finishHook(logger, metrics, services.dashboardStats),
      },
      buildRouter(services),
    );
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        services.draining = true;
        await http.drain(config.server.shutdownTimeoutMs);
        await providers.close().catch(() => providers.destroy());
        await responseCache.close();
        await routes.close();
        await promptCache.close();
        await database?.close();
        await mock?.close();
        await flushLogger(logger);
      })();
      return closing;
    };
    return { url: http.url, config, services, mock, close };
  } catch (error) {
    await closeOpened();
    throw error;
  }
}
