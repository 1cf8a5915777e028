import {
  actionToWire,
  conditionsToWire,
  type NewRoute,
  type Route,
  type RoutePatch,
  RoutingStoreError,
  type UpdateRouteOptions,
  uuidv7,
} from "@switchyard/core";
import type { Knex } from "knex";
import { errorMessage } from "./logger.js";
import type { ResolvedOptions } from "./options.js";
import { backendError } from "./query-errors.js";
import {
  decodeRow,
  PRIORITY_COLUMN_MAX,
  priorityForColumn,
  type RouteColumn,
  type RouteRow,
  warnSkipped,
} from "./rows.js";

/** What the caller's check (or the store's own rules) threw inside a transaction: passed on unchanged. */
class Refusal {
  constructor(readonly reason: unknown) {}
}

/**
 * The writes of {@link PostgresRoutingStore} that must be atomic: an update
 * with a `validate` hook runs in one transaction that locks the row
 * (`SELECT ... FOR UPDATE`), merges the patch into the route as committed,
 * validates it and writes it, so a concurrent writer on any replica waits
 * and then validates against what this one wrote.
 */
export class RouteWrites {
  constructor(
    private readonly options: ResolvedOptions,
    private readonly columns: readonly RouteColumn[],
  ) {}

  async create(orgId: string, route: NewRoute): Promise<Route> {
    const id = uuidv7();
    const rows = await this.#run<RouteRow[]>("createRoute", orgId, (db) =>
      this.#table(db)
        .insert({
          id,
          org_id: orgId,
          name: route.name,
          priority: this.#priority(route.priority, orgId, id),
          enabled: route.enabled,
          conditions: JSON.stringify(conditionsToWire(route.when)),
          target: JSON.stringify(actionToWire(route.then)),
        })
        .returning(this.columns),
    );
    return this.#decodeWritten(rows, "createRoute", orgId);
  }

  /** Without `validate`: one `UPDATE ... RETURNING`. With it: lock, merge, validate, write. */
  async update(
    orgId: string,
    id: string,
    patch: RoutePatch,
    { validate }: UpdateRouteOptions,
  ): Promise<Route | undefined> {
    const changes = this.#changes(patch, orgId, id);
    if (!validate) {
      const rows = await this.#run<RouteRow[]>("updateRoute", orgId, (db) =>
        this.#write(db, orgId, id, changes),
      );
      return rows.length === 0 ? undefined : this.#decodeWritten(rows, "updateRoute", orgId);
    }
    return this.#run("updateRoute", orgId, (db) =>
      db.transaction(async (trx) => {
        const [row] = await this.#table(trx)
          .select(this.columns)
          .where({ org_id: orgId, id })
          .forUpdate();
        if (!row) return undefined;
        const merged = decodeRow(row as RouteRow, patch);
        if (!merged.ok) {
          warnSkipped(this.options.logger, row as RouteRow, orgId, merged);
          return undefined; // a route no read returns cannot be validated: as missing
        }
        refuse(() => validate(merged.route));
        if (Object.keys(changes).length === 0) return merged.route;
        const rows = await this.#write(trx, orgId, id, changes);
        return this.#decodeWritten(rows, "updateRoute", orgId);
      }),
    );
  }

  #write(db: Knex, orgId: string, id: string, changes: Record<string, unknown>) {
    return this.#table(db)
      .where({ org_id: orgId, id })
      .update({ ...changes, updated_at: db.fn.now() })
      .returning(this.columns) as unknown as Promise<RouteRow[]>;
  }

  /** The columns a patch names, in their stored form. */
  #changes(patch: RoutePatch, orgId: string, id: string): Record<string, unknown> {
    const changes: Record<string, unknown> = {};
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.priority !== undefined) changes.priority = this.#priority(patch.priority, orgId, id);
    if (patch.enabled !== undefined) changes.enabled = patch.enabled;
    if (patch.when !== undefined) changes.conditions = JSON.stringify(conditionsToWire(patch.when));
    if (patch.then !== undefined) changes.target = JSON.stringify(actionToWire(patch.then));
    return changes;
  }

  #table(db: Knex): Knex.QueryBuilder {
    return db(this.options.names.qualifiedTable);
  }

  /** Runs `work`; a refusal reaches the caller as thrown, any other failure as RoutingStoreError. */
  async #run<T>(operation: string, orgId: string, work: (db: Knex) => PromiseLike<T>): Promise<T> {
    try {
      return await work(this.options.knex);
    } catch (error) {
      if (error instanceof Refusal) throw error.reason;
      if (error instanceof RoutingStoreError) throw error;
      throw backendError(this.options.names, operation, orgId, error);
    }
  }

  #priority(priority: number, orgId: string, routeId: string): number {
    const stored = priorityForColumn(priority);
    if (stored !== priority) {
      this.options.logger.warn(
        `postgres routing store: priority ${priority} does not fit the int column; stored as ${stored}`,
        { orgId, routeId, priority, stored, max: PRIORITY_COLUMN_MAX },
      );
    }
    return stored;
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

/** Runs a check inside a transaction, marking what it throws as the caller's refusal. */
function refuse(check: () => void): void {
  try {
    check();
  } catch (error) {
    throw new Refusal(error);
  }
}
