import type { NewRoute, ValidationIssue } from "@switchyard/core";

/**
 * Beyond core's validation: the gateway knows its catalog, so a route whose
 * target or fallback is not in it (a typo that would 404 every request it
 * matches) is rejected with the field's path.
 */
export function checkRouteModels(
  route: NewRoute,
  models: ReadonlyMap<string, unknown>,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const hint = "; GET /v1/models lists the catalog";
  if (!models.has(route.then.target_model)) {
    issues.push({
      path: "then.target_model",
      message: `unknown model \`${route.then.target_model}\`${hint}`,
    });
  }
  (route.then.fallbacks ?? []).forEach((model, i) => {
    if (!models.has(model)) {
      issues.push({ path: `then.fallbacks[${i}]`, message: `unknown model \`${model}\`${hint}` });
    }
  });
  return issues;
}
