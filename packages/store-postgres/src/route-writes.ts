import {
  actionToWire,
  conditionsToWire,
  type NewRoute,
  type Route,
  RouteConflictError,
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
  EVALUATION_ORDER,
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
 * The writes of {@link PostgresRoutingStore} that must be atomic:
 *
 * - An update with a `validate` hook (or a new name) runs in one transaction
 *   that locks the row (`SELECT ... FOR UPDATE`), merges the patch into the
 *   route as committed, validates it and writes it, so a concurrent writer on
 *   any replica waits and then validates against what this one wrote.
 * - Route names are unique within an org. A unique index cannot enforce it:
 *   databases the reference wrote may already hold duplicates, and the
 *   migration would fail on them. So every create and every rename takes a
 *   per-org advisory transaction lock, checks that no other route of the org
 *   has the name, and writes, all in one transaction: writers on every
 *   replica are serialized per org, and duplicates written before stay
 *   readable (forced routing takes the first in evaluation order).
 */
export class RouteWrites {
  constructor(
    private readonly options: ResolvedOptions,
    private readonly columns: readonly RouteColumn[],
  ) {}

  /** Lock the org's names, check the name is free, insert: one transaction. */
  async create(orgId: string, route: NewRoute): Promise<Route> {
    const id = uuidv7();
    const rows = await this.#run<RouteRow[]>("createRoute", orgId, (db) =>
      db.transaction(async (trx) => {
        await this.#lockNames(trx, orgId);
        await this.#checkName(trx, orgId, route.name);
        return (await this.#table(trx)
          .insert({
            id,
            org_id: orgId,
            name: route.name,
            priority: this.#priority(route.priority, orgId, id),
            enabled: route.enabled,
            conditions: JSON.stringify(conditionsToWire(route.when)),
            target: JSON.stringify(actionToWire(route.then)),
          })
          .returning(this.columns)) as RouteRow[];
      }),
    );
    return this.#decodeWritten(rows, "createRoute", orgId);
  }

  /**
   * Without `validate` or a name: one `UPDATE ... RETURNING`. Otherwise one
   * transaction: the org's name lock (for a name), the row lock, merge,
   * validate, the name check (when it changes), write.
   */
  async update(
    orgId: string,
    id: string,
    patch: RoutePatch,
    { validate }: UpdateRouteOptions,
  ): Promise<Route | undefined> {
    const changes = this.#changes(patch, orgId, id);
    const name = patch.name;
    if (!validate && name === undefined) {
      const rows = await this.#run<RouteRow[]>("updateRoute", orgId, (db) =>
        this.#write(db, orgId, id, changes),
      );
      return rows.length === 0 ? undefined : this.#decodeWritten(rows, "updateRoute", orgId);
    }
    return this.#run("updateRoute", orgId, (db) =>
      db.transaction(async (trx) => {
        if (name !== undefined) await this.#lockNames(trx, orgId);
        const [row] = (await this.#table(trx)
          .select(this.columns)
          .where({ org_id: orgId, id })
          .forUpdate()) as RouteRow[];
        if (!row) return undefined;
        let merged: Route | undefined;
        if (validate) {
          const decoded = decodeRow(row, patch);
          if (!decoded.ok) {
            warnSkipped(this.options.logger, row, orgId, decoded);
            return undefined; // a route no read returns cannot be validated: as missing
          }
          merged = decoded.route;
          const next = merged;
          refuse(() => validate(next));
        }
        if (name !== undefined && name !== row.name) await this.#checkName(trx, orgId, name, id);
        if (merged && Object.keys(changes).length === 0) return merged;
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

  /** Serializes the creates and renames of one org on every replica until the transaction ends. */
  async #lockNames(trx: Knex.Transaction, orgId: string): Promise<void> {
    const key = `switchyard:route-names:${this.options.names.qualifiedTable}`;
    await trx.raw("SELECT pg_advisory_xact_lock(hashtext(?), hashtext(?))", [key, orgId]);
  }

  /** Refuses with RouteConflictError when another route of the org (the first in evaluation order) has the name. */
  async #checkName(trx: Knex.Transaction, orgId: string, name: string, exceptId?: string) {
    const query = this.#table(trx).select("id").where({ org_id: orgId, name });
    if (exceptId !== undefined) query.whereNot({ id: exceptId });
    const [taken] = (await query.orderBy([...EVALUATION_ORDER]).limit(1)) as { id: string }[];
    if (taken) throw new Refusal(new RouteConflictError(name, taken.id));
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
