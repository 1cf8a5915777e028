import { RouteValidationError } from "../errors.js";
import { isUuid } from "../uuid.js";
import {
  describe,
  IssueList,
  isObject,
  isUnset,
  type JsonObject,
  join,
  readBoolean,
  readFiniteNumber,
  readInteger,
  readString,
  readStringArray,
} from "./json-reader.js";
import {
  ACTION_FIELDS,
  CONDITION_FIELDS,
  checkKnownKeys,
  NEW_ROUTE_FIELDS,
  PATCH_FIELDS,
  type UnknownFields,
} from "./known-fields.js";
import {
  DEFAULT_PRIORITY,
  emptyConditions,
  MAX_PRIORITY,
  type NewRoute,
  type Route,
  type RouteAction,
  type RouteConditions,
  type RoutePatch,
} from "./types.js";

/*
 * Decoders turn untrusted JSON into typed routes the way serde reads the
 * reference wire form: absent and null optional fields mean "not set", wrong
 * types are errors. Unknown keys are ignored on read (`parseRoute`, the column
 * decoders the stores use) and rejected on write (`unknownFields: "reject"`,
 * the default of validate.ts and of patches). They check types only; the
 * semantic rules (empty names, impossible bounds, ...) live in validate.ts.
 */

const MAX_TOKENS = Number.MAX_SAFE_INTEGER;

function readOptionalBoolean(obj: JsonObject, key: string, path: string, issues: IssueList) {
  const value = obj[key];
  return isUnset(value) ? undefined : readBoolean(value, join(path, key), issues);
}

function readOptionalNumber(obj: JsonObject, key: string, path: string, issues: IssueList) {
  const value = obj[key];
  return isUnset(value) ? undefined : readFiniteNumber(value, join(path, key), issues);
}

function readTokenBound(obj: JsonObject, key: string, path: string, issues: IssueList) {
  const value = obj[key];
  if (isUnset(value)) return null;
  return readInteger(value, join(path, key), issues, 0, MAX_TOKENS) ?? null;
}

function decodeConditions(
  value: unknown,
  path: string,
  issues: IssueList,
  unknownFields: UnknownFields,
): RouteConditions {
  const conditions = emptyConditions();
  if (isUnset(value)) return conditions;
  if (!isObject(value)) {
    issues.add(path, `must be an object of conditions, got ${describe(value)}`);
    return conditions;
  }
  checkKnownKeys(value, path, CONDITION_FIELDS, unknownFields, issues);
  if (!isUnset(value.model_in)) {
    conditions.model_in = readStringArray(value.model_in, join(path, "model_in"), issues) ?? [];
  }
  conditions.input_tokens_lt = readTokenBound(value, "input_tokens_lt", path, issues);
  conditions.input_tokens_gt = readTokenBound(value, "input_tokens_gt", path, issues);
  if (!isUnset(value.tag_equals)) {
    conditions.tag_equals = readString(value.tag_equals, join(path, "tag_equals"), issues) ?? null;
  }
  const hasImages = readOptionalBoolean(value, "has_images", path, issues);
  if (hasImages !== undefined) conditions.has_images = hasImages;
  const hasAudio = readOptionalBoolean(value, "has_audio", path, issues);
  if (hasAudio !== undefined) conditions.has_audio = hasAudio;
  if (!isUnset(value.prompt_contains_any_of)) {
    const keywordsPath = join(path, "prompt_contains_any_of");
    const keywords = readStringArray(value.prompt_contains_any_of, keywordsPath, issues);
    if (keywords && keywords.length > 0) conditions.prompt_contains_any_of = keywords;
  }
  const costGt = readOptionalNumber(value, "estimated_cost_gt", path, issues);
  if (costGt !== undefined) conditions.estimated_cost_gt = costGt;
  const costLt = readOptionalNumber(value, "estimated_cost_lt", path, issues);
  if (costLt !== undefined) conditions.estimated_cost_lt = costLt;
  const stream = readOptionalBoolean(value, "stream", path, issues);
  if (stream !== undefined) conditions.stream = stream;
  const hasTools = readOptionalBoolean(value, "has_tools", path, issues);
  if (hasTools !== undefined) conditions.has_tools = hasTools;
  return conditions;
}

function decodeAction(
  value: unknown,
  path: string,
  issues: IssueList,
  unknownFields: UnknownFields,
): RouteAction {
  const action: RouteAction = { target_model: "" };
  if (!isObject(value)) {
    const hint = 'e.g. {"target_model":"gpt-4o-mini"}';
    issues.add(path, `must be an object with a target_model (${hint}), got ${describe(value)}`);
    return action;
  }
  checkKnownKeys(value, path, ACTION_FIELDS, unknownFields, issues);
  if (value.target_model === undefined) {
    issues.add(join(path, "target_model"), "is required: the model a matched request is sent to");
  } else {
    action.target_model = readString(value.target_model, join(path, "target_model"), issues) ?? "";
  }
  if (!isUnset(value.fallbacks)) {
    const fallbacks = readStringArray(value.fallbacks, join(path, "fallbacks"), issues);
    if (fallbacks && fallbacks.length > 0) action.fallbacks = fallbacks;
  }
  if (readOptionalBoolean(value, "disable_cache", path, issues) === true) {
    action.disable_cache = true;
  }
  const maxCost = readOptionalNumber(value, "max_cost_usd", path, issues);
  if (maxCost !== undefined) action.max_cost_usd = maxCost;
  return action;
}

function decodeName(obj: JsonObject, path: string, issues: IssueList): string {
  if (obj.name === undefined) {
    issues.add(join(path, "name"), "is required: a label for the route");
    return "";
  }
  return readString(obj.name, join(path, "name"), issues) ?? "";
}

function decodePriority(value: unknown, path: string, issues: IssueList): number {
  return readInteger(value, path, issues, 0, MAX_PRIORITY) ?? DEFAULT_PRIORITY;
}

function decodeNewRouteInto(
  value: unknown,
  path: string,
  issues: IssueList,
  unknownFields: UnknownFields,
): NewRoute {
  if (!isObject(value)) {
    issues.add(path, `must be a route object, got ${describe(value)}`);
    return {
      name: "",
      priority: DEFAULT_PRIORITY,
      enabled: true,
      when: emptyConditions(),
      then: { target_model: "" },
    };
  }
  checkKnownKeys(value, path, NEW_ROUTE_FIELDS, unknownFields, issues);
  const route: NewRoute = {
    name: decodeName(value, path, issues),
    priority: isUnset(value.priority)
      ? DEFAULT_PRIORITY
      : decodePriority(value.priority, join(path, "priority"), issues),
    enabled: isUnset(value.enabled)
      ? true
      : (readBoolean(value.enabled, join(path, "enabled"), issues) ?? true),
    when: decodeConditions(value.when, join(path, "when"), issues, unknownFields),
    then: decodeAction(value.then, join(path, "then"), issues, unknownFields),
  };
  return route;
}

/** Decodes into a NewRoute, collecting issues instead of throwing. */
export function decodeNewRoute(
  value: unknown,
  issues: IssueList,
  unknownFields: UnknownFields,
): NewRoute {
  return decodeNewRouteInto(value, "", issues, unknownFields);
}

function decodeRouteInto(value: unknown, issues: IssueList): Route {
  const body = decodeNewRouteInto(value, "", issues, "ignore");
  let id = "";
  if (isObject(value)) {
    if (value.id === undefined) issues.add("id", "is required on a stored route");
    else {
      const text = readString(value.id, "id", issues);
      if (text !== undefined && !isUuid(text)) issues.add("id", `must be a UUID, got "${text}"`);
      else if (text !== undefined) id = text.toLowerCase();
    }
  }
  return { id, ...body };
}

const NULL_IN_PATCH: Readonly<Record<string, string>> = {
  name: "must be a string",
  priority: "must be an integer",
  enabled: "must be true or false",
  when: "must be an object; to remove every condition send {}",
  then: 'must be an object with a target_model (e.g. {"target_model":"gpt-4o-mini"})',
};

/** In a patch `null` is never "reset": `{"when": null}` would silently make a route match-all. */
function rejectNulls(value: JsonObject, issues: IssueList): void {
  for (const key of Object.keys(NULL_IN_PATCH)) {
    if (value[key] === null) {
      issues.add(key, `must not be null: ${NULL_IN_PATCH[key]}; to leave it unchanged omit it`);
    }
  }
}

/**
 * Decodes a partial update. A patch is only ever written, so unknown keys are
 * rejected by default, at every level (a typo must not be a silent no-op);
 * an `id` is ignored.
 */
export function decodeRoutePatch(
  value: unknown,
  issues: IssueList,
  unknownFields: UnknownFields = "reject",
): RoutePatch {
  const patch: RoutePatch = {};
  if (!isObject(value)) {
    issues.add("", `must be an object naming the fields to change, got ${describe(value)}`);
    return patch;
  }
  checkKnownKeys(value, "", PATCH_FIELDS, unknownFields, issues);
  rejectNulls(value, issues);
  if (!isUnset(value.name)) patch.name = readString(value.name, "name", issues) ?? "";
  if (!isUnset(value.priority)) patch.priority = decodePriority(value.priority, "priority", issues);
  if (!isUnset(value.enabled)) {
    const enabled = readBoolean(value.enabled, "enabled", issues);
    if (enabled !== undefined) patch.enabled = enabled;
  }
  if (!isUnset(value.when)) {
    patch.when = decodeConditions(value.when, "when", issues, unknownFields);
  }
  if (!isUnset(value.then)) {
    patch.then = decodeAction(value.then, "then", issues, unknownFields);
  }
  const changes = ["name", "priority", "enabled", "when", "then"].filter(
    (k) => value[k] !== undefined,
  );
  if (changes.length === 0 && issues.empty) {
    issues.add(
      "",
      "names no field to change; send at least one of name, priority, enabled, when, then",
    );
  }
  return patch;
}

function orThrow<T>(decode: (value: unknown, issues: IssueList) => T, value: unknown): T {
  const issues = new IssueList();
  const result = decode(value, issues);
  if (!issues.empty) throw new RouteValidationError(issues.items);
  return result;
}

/** Parses a stored route (with `id`) from untrusted JSON; unknown keys ignored. Throws {@link RouteValidationError}. */
export function parseRoute(value: unknown): Route {
  return orThrow(decodeRouteInto, value);
}

/**
 * Parses a route without `id` (defaults applied), types only, unknown keys
 * ignored; to check a route before writing it use `validateNewRoute`, which
 * rejects them. Throws {@link RouteValidationError}.
 */
export function parseNewRoute(value: unknown): NewRoute {
  return orThrow((v, issues) => decodeNewRoute(v, issues, "ignore"), value);
}

/** Parses a partial update, unknown keys rejected at every level. Throws {@link RouteValidationError}. */
export function parseRoutePatch(value: unknown): RoutePatch {
  return orThrow((v, issues) => decodeRoutePatch(v, issues), value);
}

/** Parses a stored `when` object alone (stores keep it in its own column); unknown keys ignored. */
export function parseRouteConditions(value: unknown): RouteConditions {
  return orThrow((v, issues) => decodeConditions(v, "when", issues, "ignore"), value);
}

/** Parses a stored `then` object alone (stores keep it in its own column); unknown keys ignored. */
export function parseRouteAction(value: unknown): RouteAction {
  return orThrow((v, issues) => decodeAction(v, "then", issues, "ignore"), value);
}
