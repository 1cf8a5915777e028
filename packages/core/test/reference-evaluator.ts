import type { Route } from "../src/index.js";

/*
 * A deliberately naive evaluator written straight from docs/routing.md
 * ("Conditions", "Evaluation order"), sharing no code with the engine: the
 * property test checks that the engine agrees.
 */

interface Msg {
  role?: unknown;
  content?: unknown;
}
interface Req {
  model?: unknown;
  messages?: Msg[];
  stream?: unknown;
  tools?: unknown;
}

function parts(message: Msg): Array<Record<string, unknown>> {
  return Array.isArray(message.content) ? (message.content as Array<Record<string, unknown>>) : [];
}

function text(req: Req): string {
  return (req.messages ?? [])
    .filter((m) => m.role === "user" || m.role === "system")
    .map((m) =>
      typeof m.content === "string"
        ? m.content
        : parts(m)
            .filter((p) => p.type === "text")
            .map((p) => p.text)
            .join(""),
    )
    .join("\n");
}

function anyPart(req: Req, types: string[]): boolean {
  return (req.messages ?? []).some((m) => parts(m).some((p) => types.includes(p.type as string)));
}

export function referenceMatches(
  r: Route,
  req: Req,
  tag: string | undefined,
  tokens: number,
  cost: number | undefined,
): boolean {
  const w = r.when;
  if (!r.enabled) return false;
  if (w.model_in.length > 0 && !w.model_in.includes(req.model as string)) return false;
  if (w.input_tokens_lt !== null && !(tokens < w.input_tokens_lt)) return false;
  if (w.input_tokens_gt !== null && !(tokens > w.input_tokens_gt)) return false;
  if (w.tag_equals !== null && tag !== w.tag_equals) return false;
  if (w.has_images !== undefined && anyPart(req, ["image_url", "image"]) !== w.has_images)
    return false;
  if (w.has_audio !== undefined && anyPart(req, ["input_audio"]) !== w.has_audio) return false;
  const keywords = w.prompt_contains_any_of ?? [];
  if (keywords.length > 0) {
    const lower = text(req).toLowerCase();
    if (!keywords.some((k) => lower.includes(k.toLowerCase()))) return false;
  }
  if (w.estimated_cost_gt !== undefined && (cost === undefined || !(cost > w.estimated_cost_gt)))
    return false;
  if (w.estimated_cost_lt !== undefined && (cost === undefined || !(cost < w.estimated_cost_lt)))
    return false;
  if (w.stream !== undefined && (req.stream === true) !== w.stream) return false;
  const hasTools = Array.isArray(req.tools) && req.tools.length > 0;
  if (w.has_tools !== undefined && hasTools !== w.has_tools) return false;
  return true;
}

export function referenceEvaluate(
  routes: Route[],
  req: Req,
  tag: string | undefined,
  tokens: number,
  cost: number | undefined,
): Route | undefined {
  const ordered = routes
    .map((route, index) => ({ route, index }))
    .sort((a, b) => b.route.priority - a.route.priority || a.index - b.index)
    .map((x) => x.route);
  return ordered.find((r) => referenceMatches(r, req, tag, tokens, cost));
}

/**
 * Which lazy estimates `evaluate` has to resolve (the engine's documented
 * laziness): walking the routes in order up to the one it picks, the token
 * estimate is needed by a route that passes every condition the request
 * answers and has a token bound; the cost estimate by one that also passes
 * its token bounds and has a cost bound.
 */
export function referenceNeeds(
  routes: Route[],
  req: Req,
  tag: string | undefined,
  tokens: number,
  cost: number | undefined,
): { tokens: boolean; cost: boolean } {
  const needs = { tokens: false, cost: false };
  const ordered = routes
    .map((route, index) => ({ route, index }))
    .sort((a, b) => b.route.priority - a.route.priority || a.index - b.index)
    .map((x) => x.route);
  for (const r of ordered) {
    const w = r.when;
    const withoutEstimates = { ...r, when: { ...w, input_tokens_lt: null, input_tokens_gt: null } };
    delete withoutEstimates.when.estimated_cost_gt;
    delete withoutEstimates.when.estimated_cost_lt;
    if (referenceMatches(withoutEstimates, req, tag, tokens, cost)) {
      if (w.input_tokens_lt !== null || w.input_tokens_gt !== null) needs.tokens = true;
      const tokensHold =
        (w.input_tokens_lt === null || tokens < w.input_tokens_lt) &&
        (w.input_tokens_gt === null || tokens > w.input_tokens_gt);
      const hasCost = w.estimated_cost_gt !== undefined || w.estimated_cost_lt !== undefined;
      if (tokensHold && hasCost) needs.cost = true;
    }
    if (referenceMatches(r, req, tag, tokens, cost)) break;
  }
  return needs;
}
