import { parseRouteAction, parseRouteConditions, type Route } from "@switchyard/core";

/** The columns every read selects, in this order. */
export const ROUTE_COLUMNS = ["id", "name", "priority", "enabled", "conditions", "target"] as const;

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

export type DecodedRow =
  | { readonly ok: true; readonly route: Route }
  | { readonly ok: false; readonly field: "conditions" | "target"; readonly error: unknown };

function jsonValue(value: unknown): unknown {
  // pg parses jsonb itself; a caller-installed type parser may hand us the text instead.
  return typeof value === "string" ? JSON.parse(value) : value;
}

/** Decodes a row; a `conditions` or `target` that is not valid route JSON is reported, not thrown. */
export function decodeRow(row: RouteRow): DecodedRow {
  let when: Route["when"];
  try {
    when = parseRouteConditions(jsonValue(row.conditions));
  } catch (error) {
    return { ok: false, field: "conditions", error };
  }
  let then: Route["then"];
  try {
    then = parseRouteAction(jsonValue(row.target));
  } catch (error) {
    return { ok: false, field: "target", error };
  }
  return {
    ok: true,
    route: {
      id: row.id,
      name: row.name,
      // A negative value written by hand reads as 0, the lowest priority.
      priority: Math.max(0, row.priority),
      enabled: row.enabled,
      when,
      then,
    },
  };
}
