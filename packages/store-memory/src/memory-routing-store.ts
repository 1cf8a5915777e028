import {
  applyRoutePatch,
  frozenRoute,
  isUuid,
  type NewRoute,
  type Route,
  type RouteChange,
  type RouteChangeFeed,
  type RouteChangeSubscription,
  RouteConflictError,
  type RoutePatch,
  type RoutingStore,
  type UpdateRouteOptions,
  uuidv7,
} from "@switchyard/core";
import { ChangeHub } from "./change-hub.js";
import { consoleLogger, type MemoryStoreLogger } from "./logger.js";

export interface MemoryRoutingStoreOptions {
  /** Receives a warning when a `watch` callback throws. Default: `console.warn`. */
  logger?: MemoryStoreLogger;
}

/** UUIDs compare case-insensitively, as Postgres compares them; other strings as they are. */
function normalizeId(id: string): string {
  return isUuid(id) ? id.toLowerCase() : id;
}

/** Highest priority first; `Array#sort` is stable, so equal priorities keep creation order. */
function inEvaluationOrder(routes: readonly Route[]): Route[] {
  return [...routes].sort((a, b) => b.priority - a.priority);
}

/**
 * A `RoutingStore` in a Map (org id to its routes, in creation order), with an
 * in-process change feed. For tests, development and single-process setups.
 * Routes are stored as deep-frozen copies of what callers pass in and handed
 * out as they are stored: no caller can change stored state through an
 * object it passed or got back, and reads copy nothing.
 */
export class MemoryRoutingStore implements RoutingStore, RouteChangeFeed {
  readonly #orgs = new Map<string, Route[]>();
  readonly #feed: ChangeHub;

  constructor(options: MemoryRoutingStoreOptions = {}) {
    this.#feed = new ChangeHub(options.logger ?? consoleLogger);
  }

  /**
   * Replaces all routes of an org (plant-and-assert tests); their order is their creation
   * order. Names are not checked, so a test can plant duplicates as older data may hold them.
   */
  setRoutes(orgId: string, routes: readonly Route[]): void {
    const org = normalizeId(orgId);
    if (routes.length === 0) this.#orgs.delete(org);
    else this.#orgs.set(org, routes.map(frozenRoute));
    this.#changed(org);
  }

  async listForOrg(orgId: string): Promise<Route[]> {
    return inEvaluationOrder(this.#routesOf(orgId).filter((r) => r.enabled));
  }

  async listAllForOrg(orgId: string): Promise<Route[]> {
    return inEvaluationOrder(this.#routesOf(orgId));
  }

  /** Rejects with `RouteConflictError` when another route of the org has the name. */
  async createRoute(orgId: string, route: NewRoute): Promise<Route> {
    const org = normalizeId(orgId);
    this.#checkName(orgId, route.name);
    const stored = frozenRoute({ ...route, id: uuidv7() });
    const routes = this.#orgs.get(org);
    if (routes) routes.push(stored);
    else this.#orgs.set(org, [stored]);
    this.#changed(org);
    return stored;
  }

  async getRoute(orgId: string, id: string): Promise<Route | undefined> {
    const found = this.#find(orgId, id);
    return found?.route;
  }

  async deleteRoute(orgId: string, id: string): Promise<boolean> {
    const found = this.#find(orgId, id);
    if (!found) return false;
    found.routes.splice(found.index, 1);
    const org = normalizeId(orgId);
    if (found.routes.length === 0) this.#orgs.delete(org);
    this.#changed(org);
    return true;
  }

  /** Read, merge, `validate` and write run in one synchronous step: nothing can come between. */
  async updateRoute(
    orgId: string,
    id: string,
    patch: RoutePatch,
    options: UpdateRouteOptions = {},
  ): Promise<Route | undefined> {
    const found = this.#find(orgId, id);
    if (!found) return undefined;
    const changed = Object.values(patch).some((value) => value !== undefined);
    const next = changed ? frozenRoute(applyRoutePatch(found.route, patch)) : found.route;
    options.validate?.(next);
    if (next.name !== found.route.name) this.#checkName(orgId, next.name, found.route.id);
    if (changed) {
      found.routes[found.index] = next;
      this.#changed(normalizeId(orgId));
    }
    return next;
  }

  /** Subscribes to changes of any org; delivered in-process, in order, after each write. */
  watch(onChange: (change: RouteChange) => void): Promise<RouteChangeSubscription> {
    return this.#feed.watch(onChange);
  }

  /** Tells every watcher that changes may have been missed (what a reconnecting feed reports). For tests. */
  simulateGap(): void {
    this.#feed.emit({ type: "gap" });
  }

  /** Route names are unique within an org (compared exactly), so forced routing by name is never ambiguous. */
  #checkName(orgId: string, name: string, exceptId?: string): void {
    const taken = this.#routesOf(orgId).find((r) => r.name === name && r.id !== exceptId);
    if (taken) throw new RouteConflictError(name, taken.id);
  }

  #routesOf(orgId: string): Route[] {
    return this.#orgs.get(normalizeId(orgId)) ?? [];
  }

  #find(orgId: string, id: string) {
    const routes = this.#orgs.get(normalizeId(orgId));
    const wanted = normalizeId(id);
    const index = routes ? routes.findIndex((r) => normalizeId(r.id) === wanted) : -1;
    const route = routes?.[index];
    return routes && route ? { routes, index, route } : undefined;
  }

  #changed(orgId: string): void {
    this.#feed.emit({ type: "org", orgId });
  }
}

/** Creates an empty in-memory routing store. */
export function createMemoryRoutingStore(
  options: MemoryRoutingStoreOptions = {},
): MemoryRoutingStore {
  return new MemoryRoutingStore(options);
}
