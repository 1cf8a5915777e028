import {
  isUuid,
  type NewRoute,
  type Route,
  type RouteChange,
  type RouteChangeFeed,
  type RouteChangeSubscription,
  type RoutePatch,
  type RoutingStore,
  RoutingStoreError,
  type UpdateRouteOptions,
} from "@switchyard/core";
import type { Knex } from "knex";
import { ChangeListener } from "./change-listener.js";
import type { RouteTableNames } from "./names.js";
import {
  type PostgresRoutingStoreOptions,
  type ResolvedOptions,
  resolveOptions,
} from "./options.js";
import { backendError } from "./query-errors.js";
import { RouteWrites } from "./route-writes.js";
import {
  decodeRow,
  EVALUATION_ORDER,
  type RouteColumn,
  type RouteRow,
  routeColumns,
  warnSkipped,
} from "./rows.js";

/**
 * A `RoutingStore` on PostgreSQL through the caller's knex instance, with a
 * LISTEN/NOTIFY change feed. Run `migrate(knex, options)` (or the migration
 * source) first, with the same `schema` / `tablePrefix`.
 */
export class PostgresRoutingStore implements RoutingStore, RouteChangeFeed {
  readonly #options: ResolvedOptions;
  readonly #columns: readonly RouteColumn[];
  readonly #writes: RouteWrites;
  readonly #subscriptions = new Set<ChangeListener>();

  constructor(options: PostgresRoutingStoreOptions) {
    this.#options = resolveOptions(options);
    this.#columns = routeColumns(this.#options.knex);
    this.#writes = new RouteWrites(this.#options, this.#columns);
  }

  /** The table, channel and other names this store uses. */
  get names(): RouteTableNames {
    return this.#options.names;
  }

  async listForOrg(orgId: string): Promise<Route[]> {
    if (!isUuid(orgId)) return [];
    const rows = await this.#query<RouteRow[]>("listForOrg", orgId, (q) =>
      q
        .select(this.#columns)
        .where({ org_id: orgId, enabled: true })
        .orderBy([...EVALUATION_ORDER]),
    );
    return this.#decodeAll(rows, orgId);
  }

  async listAllForOrg(orgId: string): Promise<Route[]> {
    if (!isUuid(orgId)) return [];
    const rows = await this.#query<RouteRow[]>("listAllForOrg", orgId, (q) =>
      q
        .select(this.#columns)
        .where({ org_id: orgId })
        .orderBy([...EVALUATION_ORDER]),
    );
    return this.#decodeAll(rows, orgId);
  }

  async createRoute(orgId: string, route: NewRoute): Promise<Route> {
    if (!isUuid(orgId)) {
      throw new RoutingStoreError(
        `postgres routing store: createRoute needs the org id as a UUID (column org_id is uuid), got ${JSON.stringify(orgId)}`,
      );
    }
    return this.#writes.create(orgId, route);
  }

  async getRoute(orgId: string, id: string): Promise<Route | undefined> {
    if (!isUuid(orgId) || !isUuid(id)) return undefined;
    const rows = await this.#query<RouteRow[]>("getRoute", orgId, (q) =>
      q.select(this.#columns).where({ org_id: orgId, id }),
    );
    return this.#decodeAll(rows, orgId)[0];
  }

  async deleteRoute(orgId: string, id: string): Promise<boolean> {
    if (!isUuid(orgId) || !isUuid(id)) return false;
    const removed = await this.#query<number>("deleteRoute", orgId, (q) =>
      q.where({ org_id: orgId, id }).del(),
    );
    return removed > 0;
  }

  /**
   * Without `validate`, one `UPDATE ... RETURNING`. With it, one transaction:
   * `SELECT ... FOR UPDATE` of the row, the patch merged into the route as
   * committed, `validate`, then the `UPDATE`: writers on other replicas wait
   * for the lock and validate against what this one wrote.
   */
  async updateRoute(
    orgId: string,
    id: string,
    patch: RoutePatch,
    options: UpdateRouteOptions = {},
  ): Promise<Route | undefined> {
    if (!isUuid(orgId) || !isUuid(id)) return undefined;
    const empty = Object.values(patch).every((value) => value === undefined);
    if (empty && !options.validate) return this.getRoute(orgId, id);
    return this.#writes.update(orgId, id, patch, options);
  }

  /**
   * Calls `onChange` with `{ type: "org", orgId }` for every route change any
   * writer commits to the table (the migrations install a NOTIFY trigger), and
   * with `{ type: "gap" }` after the dedicated connection dropped and came
   * back. Resolves once listening; rejects with RoutingStoreError when it
   * cannot connect.
   */
  async watch(onChange: (change: RouteChange) => void): Promise<RouteChangeSubscription> {
    const { listenConnection, names, logger, reconnect, healthCheckIntervalMs } = this.#options;
    const listener: ChangeListener = new ChangeListener({
      open: listenConnection,
      channel: names.channel,
      onChange,
      logger,
      reconnect,
      healthCheckIntervalMs,
      onClose: () => this.#subscriptions.delete(listener),
    });
    await listener.start();
    this.#subscriptions.add(listener);
    return listener;
  }

  /** Closes every `watch` subscription (their dedicated connections). The knex instance stays open. */
  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.close()));
  }

  async #query<T>(
    operation: string,
    orgId: string,
    build: (table: Knex.QueryBuilder) => PromiseLike<unknown>,
  ): Promise<T> {
    const { knex, names } = this.#options;
    try {
      return (await build(knex(names.qualifiedTable))) as T;
    } catch (error) {
      throw backendError(names, operation, orgId, error);
    }
  }

  #decodeAll(rows: RouteRow[], orgId: string): Route[] {
    const routes: Route[] = [];
    for (const row of rows) {
      const decoded = decodeRow(row);
      if (decoded.ok) routes.push(decoded.route);
      else warnSkipped(this.#options.logger, row, orgId, decoded);
    }
    return routes;
  }
}

/** Creates a {@link PostgresRoutingStore}. */
export function createPostgresRoutingStore(
  options: PostgresRoutingStoreOptions,
): PostgresRoutingStore {
  return new PostgresRoutingStore(options);
}
