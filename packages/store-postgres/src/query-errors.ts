import { RoutingStoreError } from "@switchyard/core";
import { errorMessage } from "./logger.js";
import type { RouteTableNames } from "./names.js";

/** A query of `operation` failed: the RoutingStoreError callers get, with the driver error as cause. */
export function backendError(
  names: RouteTableNames,
  operation: string,
  orgId: string,
  error: unknown,
): RoutingStoreError {
  const code = (error as { code?: unknown }).code;
  const hint =
    code === "42P01" || code === "3F000"
      ? ` (table ${names.qualifiedTable} does not exist: run migrate(knex, { schema, tablePrefix }) first)`
      : "";
  return new RoutingStoreError(
    `postgres routing store: ${operation} for org ${orgId} failed: ${errorMessage(error)}${hint}`,
    { cause: error },
  );
}
