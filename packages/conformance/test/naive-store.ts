import {
  applyRoutePatch,
  type NewRoute,
  type Route,
  type RouteChange,
  type RouteChangeFeed,
  RouteConflictError,
  type RoutePatch,
  type RoutingStore,
  type UpdateRouteOptions,
  uuidv7,
} from "@switchyard/core";

type Row = Route & { org: string; seq: number };

/**
 * The simplest store that honours the RoutingStore interface: one array of
 * rows, JSON copies in and out. It exists to show the contract asks for the
 * interface's behaviour and nothing a particular implementation adds.
 */
export class NaiveStore implements RoutingStore, RouteChangeFeed {
  #rows: Row[] = [];
  #seq = 0;
  #watchers = new Set<(change: RouteChange) => void>();

  async listForOrg(org: string) {
    return (await this.listAllForOrg(org)).filter((r) => r.enabled);
  }
  async listAllForOrg(org: string) {
    return this.#rows
      .filter((r) => r.org === org.toLowerCase())
      .sort((a, b) => b.priority - a.priority || a.seq - b.seq)
      .map(strip);
  }
  async createRoute(org: string, route: NewRoute) {
    this.#checkName(org, route.name);
    const row: Row = { ...copy(route), id: uuidv7(), org: org.toLowerCase(), seq: this.#seq++ };
    this.#rows.push(row);
    this.#emit(row.org);
    return strip(row);
  }
  async getRoute(org: string, id: string) {
    const row = this.#find(org, id);
    return row && strip(row);
  }
  async deleteRoute(org: string, id: string) {
    const row = this.#find(org, id);
    if (!row) return false;
    this.#rows = this.#rows.filter((r) => r !== row);
    this.#emit(row.org);
    return true;
  }
  async updateRoute(org: string, id: string, patch: RoutePatch, options: UpdateRouteOptions = {}) {
    const row = this.#find(org, id);
    if (!row) return undefined;
    const next = applyRoutePatch(strip(row), patch);
    options.validate?.(copy(next));
    if (next.name !== row.name) this.#checkName(org, next.name);
    if (Object.values(patch).every((v) => v === undefined)) return strip(row);
    Object.assign(row, copy(next));
    this.#emit(row.org);
    return strip(row);
  }
  async watch(onChange: (change: RouteChange) => void) {
    this.#watchers.add(onChange);
    return { close: async () => void this.#watchers.delete(onChange) };
  }
  #checkName(org: string, name: string) {
    const taken = this.#rows.find((r) => r.org === org.toLowerCase() && r.name === name);
    if (taken) throw new RouteConflictError(name, taken.id);
  }
  #find(org: string, id: string) {
    return this.#rows.find((r) => r.org === org.toLowerCase() && r.id === id.toLowerCase());
  }
  #emit(orgId: string) {
    for (const watcher of this.#watchers)
      setTimeout(() => this.#watchers.has(watcher) && watcher({ type: "org", orgId }));
  }
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function strip(row: Route): Route {
  const { id, name, priority, enabled, when, then } = row;
  return copy({ id, name, priority, enabled, when, then });
}
