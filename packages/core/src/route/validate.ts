import type { ModelCatalog } from "../catalog.js";
import { RouteValidationError, type ValidationIssue } from "../errors.js";
import { decodeNewRoute, decodeRoutePatch } from "./decode.js";
import { IssueList } from "./json-reader.js";
import type { UnknownFields } from "./known-fields.js";
import { checkRouteName, checkRouteStrings } from "./text-rules.js";
import type { NewRoute, RouteAction, RouteConditions, RoutePatch } from "./types.js";

/** How the write-path validators treat what they do not know. */
export interface RouteWriteOptions {
  /**
   * `"reject"` (the default): a key the route format does not know, at any
   * level, is an issue at its path (`when.modle_in`), with the known fields
   * and a "did you mean" hint. `"ignore"`: such keys are dropped, as reads do.
   */
  readonly unknownFields?: UnknownFields;
}

export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

function checkConditions(when: RouteConditions, issues: IssueList): void {
  when.model_in.forEach((model, i) => {
    if (model.trim() === "") issues.add(`when.model_in[${i}]`, "must not be empty");
  });
  const { input_tokens_lt: lt, input_tokens_gt: gt } = when;
  if (lt === 0) {
    issues.add("when.input_tokens_lt", "is 0, so the route can never match (estimates are >= 0)");
  }
  if (lt !== null && gt !== null && gt + 1 >= lt) {
    issues.add(
      "when.input_tokens_gt",
      `no token count is > ${gt} and < ${lt}, so the route can never match; lower input_tokens_gt or raise input_tokens_lt`,
    );
  }
  for (const key of ["estimated_cost_gt", "estimated_cost_lt"] as const) {
    const value = when[key];
    if (value !== undefined && value < 0) issues.add(`when.${key}`, `must be >= 0, got ${value}`);
  }
  const { estimated_cost_gt: costGt, estimated_cost_lt: costLt } = when;
  if (costGt !== undefined && costLt !== undefined && costGt >= costLt) {
    issues.add(
      "when.estimated_cost_gt",
      `no cost is > ${costGt} and < ${costLt}, so the route can never match; lower estimated_cost_gt or raise estimated_cost_lt`,
    );
  }
}

function checkAction(then: RouteAction, issues: IssueList): void {
  if (then.target_model.trim() === "") {
    issues.add("then.target_model", "must name the model to route to, not be empty");
  }
  const seen = new Set<string>();
  (then.fallbacks ?? []).forEach((model, i) => {
    const path = `then.fallbacks[${i}]`;
    if (model.trim() === "") issues.add(path, "must not be empty");
    else if (model === then.target_model) {
      issues.add(path, `repeats the target_model "${model}"; the target is always tried first`);
    } else if (seen.has(model)) issues.add(path, `repeats "${model}"; list each fallback once`);
    seen.add(model);
  });
  if (then.max_cost_usd !== undefined && then.max_cost_usd < 0) {
    issues.add("then.max_cost_usd", `must be >= 0, got ${then.max_cost_usd}`);
  }
}

/** The reference check: a route that selects images or audio must not target a model without vision. */
function checkCapability(route: NewRoute, catalog: ModelCatalog, issues: IssueList): void {
  if (route.when.has_images !== true && route.when.has_audio !== true) return;
  const target = route.then.target_model;
  const model = catalog.get(target);
  if (model !== undefined && model.capabilities?.vision !== true) {
    issues.add(
      "then.target_model",
      `target_model \`${target}\` is missing the \`vision\` capability required by this route's content-type condition`,
    );
  }
}

/** The semantic rules on an already decoded route. */
function checkNewRoute(route: NewRoute, issues: IssueList, catalog?: ModelCatalog): void {
  checkRouteName(route.name, issues);
  checkRouteStrings(route, issues);
  checkConditions(route.when, issues);
  checkAction(route.then, issues);
  if (catalog) checkCapability(route, catalog, issues);
}

/**
 * Decodes untrusted JSON into a {@link NewRoute} and applies every rule:
 * unknown keys and types, then the structural checks, then the catalog's
 * capability check. Returns all issues at once, each with its field path.
 * An `id` is rejected (the store assigns it).
 */
export function validateNewRoute(
  input: unknown,
  catalog?: ModelCatalog,
  options: RouteWriteOptions = {},
): ValidationResult<NewRoute> {
  const issues = new IssueList();
  const route = decodeNewRoute(input, issues, options.unknownFields ?? "reject");
  if (issues.empty) checkNewRoute(route, issues, catalog);
  return issues.empty ? { ok: true, value: route } : { ok: false, issues: issues.items };
}

/** Applies a patch: fields it names replace the route's, `when`/`then` whole. */
export function applyRoutePatch<R extends NewRoute>(route: R, patch: RoutePatch): R {
  return { ...route, ...definedFields(patch) };
}

function definedFields(patch: RoutePatch): RoutePatch {
  const out: RoutePatch = {};
  if (patch.name !== undefined) out.name = patch.name;
  if (patch.priority !== undefined) out.priority = patch.priority;
  if (patch.enabled !== undefined) out.enabled = patch.enabled;
  if (patch.when !== undefined) out.when = patch.when;
  if (patch.then !== undefined) out.then = patch.then;
  return out;
}

/**
 * Validates a patch against the route it would change: the patch is decoded
 * (unknown keys rejected as in {@link validateNewRoute}; an `id` is ignored),
 * applied, and the result must pass every rule of {@link validateNewRoute}.
 * On success `value` is the decoded patch to hand to `RoutingStore.updateRoute`.
 */
export function validateRoutePatch(
  current: NewRoute,
  input: unknown,
  catalog?: ModelCatalog,
  options: RouteWriteOptions = {},
): ValidationResult<RoutePatch> {
  const issues = new IssueList();
  const patch = decodeRoutePatch(input, issues, options.unknownFields ?? "reject");
  if (issues.empty) checkNewRoute(applyRoutePatch(current, patch), issues, catalog);
  return issues.empty ? { ok: true, value: patch } : { ok: false, issues: issues.items };
}

/** Throws {@link RouteValidationError} unless the result is ok; returns the value. */
export function unwrapValidation<T>(result: ValidationResult<T>): T {
  if (!result.ok) throw new RouteValidationError(result.issues);
  return result.value;
}
