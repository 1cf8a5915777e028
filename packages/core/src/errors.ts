/**
 * Every error Switchyard throws on purpose extends {@link SwitchyardError}:
 * a stable machine-readable `code` (never reworded) plus the usual `message`
 * and `cause`. Match on `code` or use `instanceof` on the concrete classes.
 */
export class SwitchyardError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem found in untrusted input, located by a JSON-path-like string. */
export interface ValidationIssue {
  /** Where the problem is, e.g. `when.input_tokens_lt` or `then.fallbacks[1]`. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** A route (or route patch) failed to decode or validate. Carries every issue found. */
export class RouteValidationError extends SwitchyardError {
  static readonly code = "E_INVALID_ROUTE";
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(RouteValidationError.code, formatIssues(issues));
    this.issues = issues;
  }
}

/** A routing store's backend failed (connection, query, decode of a write). */
export class RoutingStoreError extends SwitchyardError {
  static readonly code = "E_ROUTING_STORE_BACKEND";

  constructor(message: string, options?: { cause?: unknown }) {
    super(RoutingStoreError.code, message, options);
  }
}

/**
 * A write would give an org two routes with one name (forced routing picks a
 * route by name, so it would be ambiguous). Not a backend failure: the
 * caller chose a name that is taken; nothing was written.
 */
export class RouteConflictError extends SwitchyardError {
  static readonly code = "E_ROUTE_CONFLICT";
  /** The name that is taken. */
  readonly routeName: string;
  /** The org's route that has it. */
  readonly existingRouteId: string;

  constructor(routeName: string, existingRouteId: string) {
    super(
      RouteConflictError.code,
      `route name ${JSON.stringify(routeName)} is taken by route ${existingRouteId} of this org; route names are unique within an org: choose another name, or change or delete that route`,
    );
    this.routeName = routeName;
    this.existingRouteId = existingRouteId;
  }
}

/** A cache index backend failed; callers treat it as "no cache", never as a failed request. */
export class CacheIndexError extends SwitchyardError {
  static readonly code = "E_CACHE_INDEX_BACKEND";

  constructor(message: string, options?: { cause?: unknown }) {
    super(CacheIndexError.code, message, options);
  }
}

/** All error classes by their stable code. */
export const errors = {
  [RouteValidationError.code]: RouteValidationError,
  [RoutingStoreError.code]: RoutingStoreError,
  [RouteConflictError.code]: RouteConflictError,
  [CacheIndexError.code]: CacheIndexError,
} as const;

function formatIssues(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return "invalid route";
  const lines = issues.map((issue) => `${issue.path || "(root)"}: ${issue.message}`);
  return issues.length === 1
    ? `invalid route: ${lines[0]}`
    : `invalid route:\n- ${lines.join("\n- ")}`;
}
