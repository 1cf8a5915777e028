import {
  actionToWire,
  conditionsToWire,
  isUuid,
  type NewRoute,
  type Route,
  type RouteChange,
  type RouteChangeFeed,
  type RouteChangeSubscription,
  type RoutePatch,
  type RoutingStore,
  RoutingStoreError,
  uuidv7,
} from "@switchyard/core";
import type { Knex } from "knex";
import { ChangeListener } from "./change-listener.js";
import { errorMessage } from "./logger.js";
import type { RouteTableNames } from "./names.js";
import {
  type PostgresRoutingStoreOptions,
  type ResolvedOptions,
  resolveOptions,
} from "./options.js";
import {
  decodeRow,
  EVALUATION_ORDER,
  PRIORITY_COLUMN_MAX,
  priorityForColumn,
  type RouteColumn,
  type RouteRow,
  routeColumns,
} from "./rows.js";

/**
 * A `RoutingStore` on PostgreSQL through the caller's knex instance, with a
 * LISTEN/NOTIFY change feed. Run `migrate(knex, options)` (or the migration
 * source) first, with the same `schema` / `tablePrefix`.
 */
export class PostgresRoutingStore implements RoutingStore, RouteChangeFeed {
  readonly #options: ResolvedOptions;
  readonly #columns: readonly RouteColumn[];
  readonly #subscriptions = new Set<ChangeListener>();

  constructor(options: PostgresRoutingStoreOptions) {
    this.#options = resolveOptions(options);
    this.#columns = routeColumns(this.#options.knex);
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
    const id = uuidv7();
    const rows = await this.#query<RouteRow[]>("createRoute", orgId, (q) =>
      q
        .insert({
          id,
          org_id: orgId,
          name: route.name,
          priority: this.#priority(route.priority, orgId, id),
          enabled: route.enabled,
          conditions: JSON.stringify(conditionsToWire(route.when)),
          target: JSON.stringify(actionToWire(route.then)),
        })
        .returning(this.#columns),
    );
    return this.#decodeWritten(rows, "createRoute", orgId);
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

  async updateRoute(orgId: string, id: string, patch: RoutePatch): Promise<Route | undefined> {
    if (!isUuid(orgId) || !isUuid(id)) return undefined;
    const changes: Record<string, unknown> = {};
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.priority !== undefined) changes.priority = this.#priority(patch.priority, orgId, id);
    if (patch.enabled !== undefined) changes.enabled = patch.enabled;
    if (patch.when !== undefined) changes.conditions = JSON.stringify(conditionsToWire(patch.when));
    if (patch.then !== undefined) changes.target = JSON.stringify(actionToWire(patch.then));
    if (Object.keys(changes).length === 0) return this.getRoute(orgId, id);
    changes.updated_at = this.#options.knex.fn.now();
    const rows = await this.#query<RouteRow[]>("updateRoute", orgId, (q) =>
      q.where({ org_id: orgId, id }).update(changes).returning(this.#columns),
    );
    return rows.length === 0 ? undefined : this.#decodeWritten(rows, "updateRoute", orgId);
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
      const code = (error as { code?: unknown }).code;
      const hint =
        code === "42P01" || code === "3F000"
          ? ` (table ${names.qualifiedTable} does not exist: run migrate(knex, { schema, tablePrefix }) first)`
          : "";
      throw new RoutingStoreError(
        `postgres routing store: ${operation} for org ${orgId} failed: ${errorMessage(error)}${hint}`,
        { cause: error },
      );
    }
  }

  #priority(priority: number, orgId: string, routeId: string): number {
    const stored = priorityForColumn(priority);
    if (stored !== priority) {
      this.#options.logger.warn(
        `postgres routing store: priority ${priority} does not fit the int column; stored as ${stored}`,
        { orgId, routeId, priority, stored, max: PRIORITY_COLUMN_MAX },
      );
    }
    return stored;
  }

  #decodeAll(rows: RouteRow[], orgId: string): Route[] {
    const routes: Route[] = [];
    for (const row of rows) {
      const decoded = decodeRow(row);
      if (decoded.ok) routes.push(decoded.route);
      else {
        this.#options.logger.warn(
          `postgres routing store: skipping route ${row.id}: its ${decoded.field} JSON does not decode`,
          { orgId, routeId: row.id, field: decoded.field, error: errorMessage(decoded.error) },
        );
      }
    }
    return routes;
  }

  #decodeWritten(rows: RouteRow[], operation: string, orgId: string): Route {
    const row = rows[0];
    const decoded = row && decodeRow(row);
    if (!decoded?.ok) {
      const why = decoded ? errorMessage(decoded.error) : "no row returned";
      throw new RoutingStoreError(
        `postgres routing store: ${operation} for org ${orgId}: the written route does not read back (${why})`,
      );
    }
    return decoded.route;
  }
}

/** Creates a {@link PostgresRoutingStore}. */
export function createPostgresRoutingStore(
  options: PostgresRoutingStoreOptions,
): PostgresRoutingStore {
  return new PostgresRoutingStore(options);
}
