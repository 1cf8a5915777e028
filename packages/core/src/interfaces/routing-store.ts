import type { NewRoute, Route, RoutePatch } from "../route/types.js";

/**
 * Where routes live. Every method is scoped by org: no call can read or
 * change another org's route, and another org's id behaves exactly like an
 * id that does not exist. Backend failures reject with `RoutingStoreError`.
 *
 * Route names are unique within an org (compared exactly, disabled routes
 * included), since forced routing picks a route by name: `createRoute` with a
 * taken name and an `updateRoute` renaming onto one reject with
 * `RouteConflictError` and write nothing, atomically with the write (also
 * across processes sharing a backend).
 *
 * Callers validate input (`validateNewRoute`, `validateRoutePatch`) before
 * `createRoute`/`updateRoute`; stores trust what they are given. A check of a
 * patch against the stored route belongs in `updateRoute`'s `validate`
 * option, which runs atomically with the write (a check against a route read
 * earlier races with other writers).
 *
 * A route a store hands out is never shared with its state or with another
 * caller: deep-frozen (`frozenRoute`/`freezeRoute`, the stores of this
 * project) or a copy. Changing it (or trying to) never changes what a later
 * read returns; a store never freezes the objects a caller passed in.
 */
export interface RoutingStore {
  /**
   * The org's enabled routes in evaluation order: priority high to low, ties in
   * creation order (the engine's stable sort keeps ties as given). `[]` for an unknown org.
   */
  listForOrg(orgId: string): Promise<Route[]>;
  /** All of the org's routes, disabled ones included, in evaluation order. */
  listAllForOrg(orgId: string): Promise<Route[]>;
  /** Stores the route under a new id (UUID v7) and returns it; `RouteConflictError` when the name is taken. */
  createRoute(orgId: string, route: NewRoute): Promise<Route>;
  /** The route, or `undefined` when it does not exist or belongs to another org. */
  getRoute(orgId: string, id: string): Promise<Route | undefined>;
  /** Whether a route was removed; `false` for another org's id. */
  deleteRoute(orgId: string, id: string): Promise<boolean>;
  /**
   * Changes only the fields the patch names; `undefined` when not found (or another org's).
   * With `options.validate`, the route as it would be after the patch is checked and written
   * in one atomic step: no other write to the route comes between the check and the write.
   */
  updateRoute(
    orgId: string,
    id: string,
    patch: RoutePatch,
    options?: UpdateRouteOptions,
  ): Promise<Route | undefined>;
}

/** Options of {@link RoutingStore.updateRoute}. */
export interface UpdateRouteOptions {
  /**
   * Checks `next`, the route as it would be after the patch (deep-frozen), inside the
   * store's atomic section (Postgres: a transaction holding the row lock; memory: one
   * synchronous step), so it sees what every earlier write committed. Throw to refuse:
   * nothing is written and `updateRoute` rejects with what was thrown, unchanged. Called
   * once when the route exists, also for an empty patch; never for an unknown id. Keep it
   * synchronous and quick: the row stays locked while it runs.
   */
  validate?(next: Route): void;
}

/** A change pushed by a route store's feed. */
export type RouteChange =
  /** Some route of this org was created, updated or deleted. */
  | { readonly type: "org"; readonly orgId: string }
  /** Changes may have been missed (e.g. after a reconnect): drop everything cached. */
  | { readonly type: "gap" };

export interface RouteChangeSubscription {
  /** Stops delivery; idempotent. */
  close(): Promise<void>;
}

/** A push channel of route changes, so caches apply edits made elsewhere at once. */
export interface RouteChangeFeed {
  watch(onChange: (change: RouteChange) => void): Promise<RouteChangeSubscription>;
}
