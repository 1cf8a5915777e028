import type { WireRoute } from "@switchyard/core";
import { byId } from "./dom.js";
import { type FieldIssue, fieldOf } from "./validation.js";

/** Form fields by the route field path the API names in `param`. */
const INPUTS = {
  name: "route-name",
  priority: "route-priority",
  enabled: "route-enabled",
  "when.model_in": "route-models",
  "when.input_tokens_lt": "route-tokens-lt",
  "when.input_tokens_gt": "route-tokens-gt",
  "when.tag_equals": "route-tag",
  "when.prompt_contains_any_of": "route-keywords",
  "when.estimated_cost_gt": "route-cost-gt",
  "when.estimated_cost_lt": "route-cost-lt",
  "when.has_images": "route-images",
  "when.has_audio": "route-audio",
  "when.stream": "route-stream",
  "when.has_tools": "route-tools",
  "then.target_model": "route-target",
  "then.fallbacks": "route-fallbacks",
  "then.max_cost_usd": "route-max-cost",
  "then.disable_cache": "route-disable-cache",
} as const;

type FieldPath = keyof typeof INPUTS;

const input = (path: FieldPath) => byId<HTMLInputElement>(INPUTS[path]);
const select = (path: FieldPath) => byId<HTMLSelectElement>(INPUTS[path]);
const errorId = (path: string) => `error-${path.replace(/\./g, "-")}`;

function text(path: FieldPath): string {
  return input(path).value.trim();
}

/** A comma-separated list; empty entries dropped. */
function list(path: FieldPath): string[] {
  return text(path)
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/**
 * A number field: empty is "not set"; anything else that is not a number is
 * sent as typed, so the gateway's validation names the field.
 */
function numeric(path: FieldPath): number | string | null {
  const value = text(path);
  if (value === "") return null;
  const parsed = Number(value.replace(/^\$/, ""));
  return Number.isFinite(parsed) ? parsed : value;
}

function triState(path: FieldPath): boolean | null {
  const value = select(path).value;
  return value === "" ? null : value === "true";
}

/** The route body the form describes (POST body, and the PATCH body when editing: `when`/`then` are replaced whole). */
export function readRouteForm(): Record<string, unknown> {
  const when: Record<string, unknown> = {
    model_in: list("when.model_in"),
    input_tokens_lt: numeric("when.input_tokens_lt"),
    input_tokens_gt: numeric("when.input_tokens_gt"),
    tag_equals: text("when.tag_equals") === "" ? null : input("when.tag_equals").value,
  };
  const keywords = list("when.prompt_contains_any_of");
  if (keywords.length > 0) when.prompt_contains_any_of = keywords;
  for (const path of ["when.estimated_cost_gt", "when.estimated_cost_lt"] as const) {
    const value = numeric(path);
    if (value !== null) when[path.slice(5)] = value;
  }
  for (const path of [
    "when.has_images",
    "when.has_audio",
    "when.stream",
    "when.has_tools",
  ] as const) {
    const value = triState(path);
    if (value !== null) when[path.slice(5)] = value;
  }
  const then: Record<string, unknown> = { target_model: text("then.target_model") };
  const fallbacks = list("then.fallbacks");
  if (fallbacks.length > 0) then.fallbacks = fallbacks;
  const maxCost = numeric("then.max_cost_usd");
  if (maxCost !== null) then.max_cost_usd = maxCost;
  if (input("then.disable_cache").checked) then.disable_cache = true;
  const body: Record<string, unknown> = {
    name: text("name"),
    enabled: input("enabled").checked,
    when,
    then,
  };
  const priority = numeric("priority");
  if (priority !== null) body.priority = priority;
  return body;
}

const setSelect = (path: FieldPath, value: boolean | undefined) => {
  select(path).value = value === undefined ? "" : String(value);
};

/** Fills the form with a route (editing), or clears it (`undefined`: a new route). */
export function fillRouteForm(route: WireRoute | undefined): void {
  const when = route?.when;
  const then = route?.then;
  input("name").value = route?.name ?? "";
  input("priority").value = route ? String(route.priority) : "";
  input("enabled").checked = route?.enabled ?? true;
  input("when.model_in").value = when?.model_in.join(", ") ?? "";
  input("when.input_tokens_lt").value = numberText(when?.input_tokens_lt);
  input("when.input_tokens_gt").value = numberText(when?.input_tokens_gt);
  input("when.tag_equals").value = when?.tag_equals ?? "";
  input("when.prompt_contains_any_of").value = when?.prompt_contains_any_of?.join(", ") ?? "";
  input("when.estimated_cost_gt").value = numberText(when?.estimated_cost_gt);
  input("when.estimated_cost_lt").value = numberText(when?.estimated_cost_lt);
  setSelect("when.has_images", when?.has_images);
  setSelect("when.has_audio", when?.has_audio);
  setSelect("when.stream", when?.stream);
  setSelect("when.has_tools", when?.has_tools);
  input("then.target_model").value = then?.target_model ?? "";
  input("then.fallbacks").value = then?.fallbacks?.join(", ") ?? "";
  input("then.max_cost_usd").value = numberText(then?.max_cost_usd);
  input("then.disable_cache").checked = then?.disable_cache === true;
  const more = byId<HTMLDetailsElement>("more-conditions");
  more.open =
    when !== undefined &&
    (when.estimated_cost_gt !== undefined ||
      when.estimated_cost_lt !== undefined ||
      when.has_images !== undefined ||
      when.has_audio !== undefined ||
      when.stream !== undefined ||
      when.has_tools !== undefined);
  clearRouteFormErrors();
}

function numberText(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

export function clearRouteFormErrors(): void {
  for (const path of Object.keys(INPUTS)) {
    const error = document.getElementById(errorId(path));
    if (error) {
      error.hidden = true;
      error.textContent = "";
    }
    document.getElementById(INPUTS[path as FieldPath])?.removeAttribute("aria-invalid");
  }
  const formError = byId("route-form-error");
  formError.hidden = true;
  formError.textContent = "";
}

/**
 * Shows each issue next to the field its path names (`then.fallbacks[1]`
 * at Fallbacks), marks the field invalid and focuses the first one. Issues
 * naming no field of the form go to the form's own error line.
 */
export function showRouteFormErrors(issues: readonly FieldIssue[], summary: string): void {
  clearRouteFormErrors();
  const general: string[] = [];
  let first: HTMLElement | undefined;
  for (const issue of issues) {
    const path = fieldOf(issue.path);
    if (!(path in INPUTS)) {
      general.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
      continue;
    }
    const control = byId(INPUTS[path as FieldPath]);
    const error = byId(errorId(path));
    const where = issue.path === path ? "" : `${issue.path.slice(path.length)} `;
    error.textContent = error.textContent
      ? `${error.textContent}; ${where}${issue.message}`
      : `${where}${issue.message}`;
    error.hidden = false;
    control.setAttribute("aria-invalid", "true");
    if (path.startsWith("when.") && byId("more-conditions").contains(control)) {
      byId<HTMLDetailsElement>("more-conditions").open = true;
    }
    first ??= control;
  }
  if (general.length > 0 || first === undefined) {
    const formError = byId("route-form-error");
    formError.textContent = general.length > 0 ? general.join("; ") : summary;
    formError.hidden = false;
  }
  first?.focus();
}
