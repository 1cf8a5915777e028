import {
  freezeRoute,
  frozenRoute,
  parseRouteAction,
  parseRouteConditions,
  type Route,
  type RoutePatch,
} from "@switchyard/core";
import type { Knex } from "knex";
import { errorMessage, type RoutesLogger } from "./logger.js";

export type RouteColumn = string | Knex.Raw;

/**
 * The columns every read selects (and every write returns), in this order.
 * `conditions` and `target` come as text and are parsed here, whatever type
 * parser the caller's `pg` has for jsonb: only then can a jsonb string scalar
 * (`'"{...}"'`) be told from an object.
 */
export function routeColumns(knex: Knex): readonly RouteColumn[] {
  const asText = (column: string) => knex.raw("??::text AS ??", [column, column]);
  return ["id", "name", "priority", "enabled", asText("conditions"), asText("target")];
}

/** Evaluation order: `priority DESC, created_at ASC, id ASC`. */
export const EVALUATION_ORDER = [
  { column: "priority", order: "desc" },
  { column: "created_at", order: "asc" },
  { column: "id", order: "asc" },
] as const;

export interface RouteRow {
  id: string;
  name: string;
  priority: number;
  enabled: boolean;
  conditions: unknown;
  target: unknown;
}

/** The largest value of the `priority integer` column. */
export const PRIORITY_COLUMN_MAX = 2_147_483_647;

/** A route priority (0..2^32-1) as the int column can hold it: clamped to 0..2^31-1. */
export function priorityForColumn(priority: number): number {
  if (!Number.isFinite(priority)) return priority > 0 ? PRIORITY_COLUMN_MAX : 0;
  return Math.min(PRIORITY_COLUMN_MAX, Math.max(0, Math.trunc(priority)));
}

type DecodedRow =
  | { readonly ok: true; readonly route: Route }
  | { readonly ok: false; readonly field: "conditions" | "target"; readonly error: unknown };

/**
 * The column's JSON, which must be an object, as the reference's serde structs
 * require: JSON `null` (which would decode as "no conditions", matching every
 * request) or a string (even one holding a route's JSON) makes the row skipped.
 */
function jsonObject(text: unknown): unknown {
  const value = typeof text === "string" ? JSON.parse(text) : text;
  if (value === null || value === undefined) throw new Error("is JSON null, not an object");
  if (typeof value === "string") throw new Error("is a JSON string, not an object");
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`is a JSON ${Array.isArray(value) ? "array" : typeof value}, not an object`);
  }
  return value;
}

/**
 * Decodes a row; a `conditions` or `target` that is not a valid route JSON
 * object is reported, not thrown. With a patch, the route as it would be
 * after it: the columns the patch replaces are not decoded (so a patch can
 * repair a broken column).
 */
export function decodeRow(row: RouteRow, patch: RoutePatch = {}): DecodedRow {
  let when: Route["when"];
  try {
    when = patch.when ?? parseRouteConditions(jsonObject(row.conditions));
  } catch (error) {
    return { ok: false, field: "conditions", error };
  }
  let then: Route["then"];
  try {
    then = patch.then ?? parseRouteAction(jsonObject(row.target));
  } catch (error) {
    return { ok: false, field: "target", error };
  }
  const route: Route = {
    id: row.id,
    name: patch.name ?? row.name,
    // A negative value written by hand reads as 0, the lowest priority.
    priority: patch.priority ?? Math.max(0, row.priority),
    enabled: patch.enabled ?? row.enabled,
    when,
    then,
  };
  // Deep-frozen, so no reader can change it; the caller's patch objects are copied, never frozen.
  const borrowed = patch.when !== undefined || patch.then !== undefined;
  return { ok: true, route: borrowed ? frozenRoute(route) : freezeRoute(route) };
}

/** Tells the logger that a row was skipped because a column does not decode. */
export function warnSkipped(
  logger: RoutesLogger,
  row: RouteRow,
  orgId: string,
  failure: Extract<DecodedRow, { ok: false }>,
): void {
  logger.warn(
    `postgres routing store: skipping route ${row.id}: its ${failure.field} JSON does not decode`,
    { orgId, routeId: row.id, field: failure.field, error: errorMessage(failure.error) },
  );
}
