/** One problem of a rejected route body, as the gateway's message lists it. */
export interface FieldIssue {
  /** The field path, e.g. `then.fallbacks[0]`; `""` for the body as a whole. */
  readonly path: string;
  readonly message: string;
}

/** A route field path at the start of an issue: `name`, `when.model_in[2]`, `then.target_model`, `(body)`. */
const PATH = String.raw`(?:\(body\)|(?:name|priority|enabled|id|when|then)(?:\.[a-z_]+)?(?:\[\d+\])?)`;
const ISSUE_START = new RegExp(`(?:^|; )(${PATH}): `, "g");

/**
 * Splits the message of a 400 `invalid_route` (`Invalid route: <path>: <problem>; <path>: <problem>`)
 * into its issues. `param` (the first issue's path) is always among them:
 * when the message cannot be split, the whole message is reported at `param`.
 */
export function routeIssues(message: string, param: string | null): FieldIssue[] {
  const body = message.replace(/^Invalid route:\s*/, "");
  const starts = [...body.matchAll(ISSUE_START)];
  const issues: FieldIssue[] = [];
  starts.forEach((match, i) => {
    const path = match[1] as string;
    const from = (match.index ?? 0) + match[0].length;
    const to = i + 1 < starts.length ? (starts[i + 1]?.index ?? body.length) : body.length;
    issues.push({ path: path === "(body)" ? "" : path, message: body.slice(from, to) });
  });
  const first = param ?? "";
  if (!issues.some((issue) => issue.path === first)) {
    issues.unshift({ path: first, message: body });
  }
  return issues;
}

/** The form field a path belongs to: `then.fallbacks[1]` → `then.fallbacks`. */
export function fieldOf(path: string): string {
  return path.replace(/\[\d+\]$/, "");
}
