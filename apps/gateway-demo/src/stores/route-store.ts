import { CachingRoutingStore } from "@switchyard/cache-l1";
import { RouteConflictError, type RoutingEngine } from "@switchyard/core";
import { MemoryRoutingStore } from "@switchyard/store-memory";
import { PostgresRoutingStore } from "@switchyard/store-postgres";
import type { GatewayConfig, OrgConfig } from "../config/types.js";
import { type Logger, storeLogger } from "../log/logger.js";
import type { Database } from "./database.js";

/** The route store the gateway runs on: memory or Postgres, behind the per-org engine cache. */
export interface RouteStoreHandle {
  readonly kind: "memory" | "postgres";
  readonly store: CachingRoutingStore;
  /** Readiness: whether the backing store answers. */
  ping(): Promise<boolean>;
  /** Closes the cache and the change feed (never the shared database). */
  close(): Promise<void>;
}

/**
 * With a database (`route_store.database_url`): the Postgres store and its
 * LISTEN/NOTIFY change feed; otherwise the memory store and its in-process
 * feed. Either way wrapped in `CachingRoutingStore`.
 */
export async function openRouteStore(
  config: GatewayConfig,
  logger: Logger,
  database: Database | undefined,
): Promise<RouteStoreHandle> {
  const log = storeLogger(logger);
  const onFeedError = (error: unknown) =>
    logger.warn({ err: error }, "route change feed unavailable; TTL only");
  const { cacheTtlMs: ttlMs, staleIfErrorMs } = config.routeStore;
  if (database === undefined) {
    const memory = new MemoryRoutingStore({ logger: log });
    const store = new CachingRoutingStore(memory, {
      ttlMs,
      staleIfErrorMs,
      changeFeed: memory,
      onFeedError,
    });
    await store.ready();
    return { kind: "memory", store, ping: async () => true, close: () => store.close() };
  }
  const { knex } = database;
  const postgres = new PostgresRoutingStore({ knex, logger: log });
  const store = new CachingRoutingStore(postgres, {
    ttlMs,
    staleIfErrorMs,
    changeFeed: postgres,
    onFeedError,
  });
  await store.ready();
  return {
    kind: "postgres",
    store,
    ping: () => database.ping(),
    async close() {
      await store.close();
      await postgres.close();
    },
  };
}

/**
 * Creates each configured route whose name the org does not have yet
 * (idempotent across restarts; a replica starting at the same time may
 * create it first: its name conflict counts as "already there").
 */
export async function seedRoutes(
  store: CachingRoutingStore,
  orgs: readonly OrgConfig[],
): Promise<number> {
  let created = 0;
  for (const org of orgs) {
    if (org.routes.length === 0) continue;
    const names = new Set((await store.listAllForOrg(org.id)).map((route) => route.name));
    for (const route of org.routes) {
      if (names.has(route.name)) continue;
      names.add(route.name);
      try {
        await store.createRoute(org.id, route);
        created++;
      } catch (error) {
        if (!(error instanceof RouteConflictError)) throw error;
      }
    }
  }
  return created;
}

/**
 * The org's compiled engine: synchronously from the cache when fresh, else
 * one shared load. A store failure yields `undefined` ("no routes": user
 * traffic is never failed because the route store is down).
 */
export function engineFor(
  store: CachingRoutingStore,
  orgId: string,
  logger: Logger,
): RoutingEngine | undefined | Promise<RoutingEngine | undefined> {
  const cached = store.peekEngine(orgId);
  if (cached !== undefined) return cached;
  return store.engineFor(orgId).catch((error: unknown) => {
    logger.warn({ err: error, org: orgId }, "route store unavailable; dispatching unrouted");
    return undefined;
  });
}
