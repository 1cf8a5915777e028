import { buildRouter } from "./app-routes.js";
import { ApiKeyIndex } from "./auth/api-keys.js";
import type { GatewayConfig } from "./config/types.js";
import { startHttpServer } from "./http/server.js";
import { createLogger, flushLogger, type Logger } from "./log/logger.js";
import { MockUpstream } from "./mock/mock-upstream.js";
import type { GatewayServices } from "./services.js";
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
  /** Graceful shutdown: stop accepting, drain in-flight requests, close pools, stores and caches. */
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
    const routes: RouteStoreHandle = await openRouteStore(config, logger);
    opened.push(() => routes.close());
    await seedRoutes(routes.store, config.orgs);
    const providers = new ProviderSet(
      config,
      mock && { openai: mock.openaiBaseUrl, anthropic: mock.anthropicBaseUrl },
    );
    opened.push(() => providers.destroy());
    const services: GatewayServices = {
      config,
      keys: new ApiKeyIndex(config.orgs),
      routes,
      providers,
      dispatch: { models: config.models, providers, retry: config.retry },
      logger,
      draining: false,
    };
    const http = await startHttpServer(services, buildRouter(services));
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        services.draining = true;
        await http.drain(config.server.shutdownTimeoutMs);
        await providers.close().catch(() => providers.destroy());
        await routes.close();
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
