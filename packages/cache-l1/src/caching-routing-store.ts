import {
  frozenRoute,
  type NewRoute,
  type Route,
  type RouteChange,
  type RouteChangeFeed,
  type RouteChangeSubscription,
  type RoutePatch,
  RoutingEngine,
  type RoutingStore,
  type UpdateRouteOptions,
} from "@switchyard/core";
import { L1Cache } from "./l1-cache.js";
import type { L1CacheOptions } from "./options.js";
import type { L1CacheStats } from "./stats.js";

export interface CachingRoutingStoreOptions
  extends Pick<
    L1CacheOptions,
    "jitter" | "staleWhileRevalidateMs" | "staleIfErrorMs" | "loadTimeoutMs" | "now"
  > {
  /** How long an org's compiled engine is reused: the backstop when no change feed delivers. Default 60,000. */
  ttlMs?: number;
  /** Most orgs kept compiled. Default 10,000. */
  maxOrgs?: number;
  /** Pushes route changes (e.g. the Postgres store's LISTEN/NOTIFY feed) so edits elsewhere apply at once. */
  changeFeed?: RouteChangeFeed;
  /** Called when subscribing to the change feed fails; the TTL still converges. Default: console.warn. */
  onFeedError?: (error: unknown) => void;
}

/**
 * A {@link RoutingStore} that keeps each org's compiled {@link RoutingEngine}
 * in an {@link L1Cache}: `engineFor(org)` is the hot path. Concurrent
 * refreshes of one org make one `listForOrg` call; writes through this store
 * invalidate the org; a change feed invalidates edits made elsewhere (a gap
 * in the feed drops everything); the TTL is the backstop.
 *
 * Every route it hands out is deep-frozen (the engine freezes what it
 * compiles; other reads and writes freeze the inner store's answer unless it
 * already is), so no caller can change what `evaluate`, `findByName` or the
 * next read return.
 */
export class CachingRoutingStore implements RoutingStore {
  private readonly cache: L1Cache<string, RoutingEngine>;
  private readonly subscription: Promise<RouteChangeSubscription | undefined>;

  constructor(
    private readonly inner: RoutingStore,
    options: CachingRoutingStoreOptions = {},
  ) {
    const { ttlMs = 60_000, maxOrgs = 10_000, changeFeed, onFeedError, ...rest } = options;
    const load = async (orgId: string) => new RoutingEngine(await inner.listForOrg(orgId));
    this.cache = new L1Cache(load, { ...rest, ttlMs, maxEntries: maxOrgs });
    this.subscription = changeFeed
      ? changeFeed
          .watch((change) => this.apply(change))
          .catch((error: unknown) => {
            (onFeedError ?? defaultFeedError)(error);
            return undefined;
          })
      : Promise.resolve(undefined);
  }

  /** Resolves once the change feed (if any) is subscribed. */
  async ready(): Promise<void> {
    await this.subscription;
  }

  /** The org's compiled engine: from memory when fresh, else one shared load. Backend errors reject. */
  engineFor(orgId: string): Promise<RoutingEngine> {
    return this.cache.get(orgId);
  }

  /** The fresh cached engine without awaiting, or `undefined`. */
  peekEngine(orgId: string): RoutingEngine | undefined {
    return this.cache.peek(orgId);
  }

  invalidate(orgId: string): void {
    this.cache.invalidate(orgId);
  }

  invalidateAll(): void {
    this.cache.clear();
  }

  stats(): L1CacheStats {
    return this.cache.stats();
  }

  async listForOrg(orgId: string): Promise<Route[]> {
    return [...(await this.engineFor(orgId)).routes];
  }

  async listAllForOrg(orgId: string): Promise<Route[]> {
    return (await this.inner.listAllForOrg(orgId)).map(frozenRoute);
  }

  async getRoute(orgId: string, id: string): Promise<Route | undefined> {
    const route = await this.inner.getRoute(orgId, id);
    return route && frozenRoute(route);
  }

  async createRoute(orgId: string, route: NewRoute): Promise<Route> {
    const created = await this.inner.createRoute(orgId, route);
    this.invalidate(orgId);
    return frozenRoute(created);
  }

  async deleteRoute(orgId: string, id: string): Promise<boolean> {
    const removed = await this.inner.deleteRoute(orgId, id);
    if (removed) this.invalidate(orgId);
    return removed;
  }

  /** Passes `options.validate` on: the inner store runs it atomically with the write. */
  async updateRoute(
    orgId: string,
    id: string,
    patch: RoutePatch,
    options?: UpdateRouteOptions,
  ): Promise<Route | undefined> {
    const updated = await this.inner.updateRoute(orgId, id, patch, options);
    if (updated) this.invalidate(orgId);
    return updated && frozenRoute(updated);
  }

  /** Unsubscribes from the feed and closes the cache; never closes the inner store. */
  async close(): Promise<void> {
    const subscription = await this.subscription;
    await subscription?.close();
    await this.cache.close();
  }

  private apply(change: RouteChange): void {
    if (change.type === "org") this.invalidate(change.orgId);
    else this.invalidateAll();
  }
}

function defaultFeedError(error: unknown): void {
  console.warn("[switchyard] route change feed unavailable; routes refresh by TTL only:", error);
}
