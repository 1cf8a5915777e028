import type { Route, RoutingContext, RoutingRequest } from "@switchyard/core";
import { evaluationOrder } from "./fixtures.js";
import { lowerPromptText } from "./prompt-text.js";

export type Decide = (
  request: RoutingRequest,
  context: RoutingContext,
  inputTokens: number,
  estimatedCostUsd?: number,
) => Route | undefined;

/** Calls `decide` `count` times from its own call site; returns how many matched. */
export type DecideBatch = (
  count: number,
  request: RoutingRequest,
  context: RoutingContext,
  inputTokens: number,
  estimatedCostUsd?: number,
) => number;

export interface HandWritten {
  readonly decide: Decide;
  readonly batch: DecideBatch;
  /** The generated JavaScript, for inspection. */
  readonly source: string;
}

const UNSUPPORTED = ["has_images", "has_audio", "stream", "has_tools"] as const;

const lit = (value: string): string => JSON.stringify(value);

/** The `&&`-terms of one route's condition, cheapest first, literals inlined. */
function terms(route: Route): string[] {
  const when = route.when;
  for (const name of UNSUPPORTED) {
    if (when[name] !== undefined) throw new Error(`${route.name}: ${name} is not generated here`);
  }
  const out: string[] = [];
  if (when.model_in.length > 0) {
    out.push(`(${when.model_in.map((m) => `model === ${lit(m)}`).join(" || ")})`);
  }
  if (when.input_tokens_lt !== null) out.push(`tokens < ${when.input_tokens_lt}`);
  if (when.input_tokens_gt !== null) out.push(`tokens > ${when.input_tokens_gt}`);
  if (when.tag_equals !== null) out.push(`tag === ${lit(when.tag_equals)}`);
  const keywords = (when.prompt_contains_any_of ?? []).map((k) => k.toLowerCase());
  if (keywords.length > 0 && !keywords.includes("")) {
    const [first, ...rest] = keywords.map(lit);
    const more = rest.map((k) => ` || text.includes(${k})`).join("");
    out.push(`((text ??= lowerPromptText(request.messages)).includes(${first})${more})`);
  }
  // `cost` is NaN when unknown, and every comparison with NaN is false.
  if (when.estimated_cost_gt !== undefined) out.push(`cost > ${when.estimated_cost_gt}`);
  if (when.estimated_cost_lt !== undefined) out.push(`cost < ${when.estimated_cost_lt}`);
  return out;
}

/** JavaScript source of the decision function, as a person would write it for this route set. */
export function handWrittenSource(ordered: readonly Route[]): string {
  const lines = [
    '"use strict";',
    "function decide(request, context, tokens, estimatedCostUsd) {",
    "  const model = request.model;",
    "  const tag = context.tag;",
    '  const cost = typeof estimatedCostUsd === "number" && Number.isFinite(estimatedCostUsd) ? estimatedCostUsd : NaN;',
  ];
  if (ordered.some((r) => r.enabled && (r.when.prompt_contains_any_of?.length ?? 0) > 0)) {
    lines.push("  let text; // lowercased user+system text, computed on first use");
  }
  ordered.forEach((route, i) => {
    if (!route.enabled) return;
    const all = terms(route);
    const condition = all.length > 0 ? all.join(" && ") : "true";
    lines.push(`  // ${lit(route.name)}, priority ${route.priority}`);
    lines.push(`  if (${condition}) return routes[${i}];`);
  });
  lines.push(
    "  return undefined;",
    "}",
    "function batch(count, request, context, tokens, estimatedCostUsd) {",
    "  let hits = 0;",
    "  for (let i = 0; i < count; i++) {",
    "    if (decide(request, context, tokens, estimatedCostUsd) !== undefined) hits++;",
    "  }",
    "  return hits;",
    "}",
    "return { decide, batch };",
  );
  return lines.join("\n");
}

/**
 * The practical limit: an if-chain per route in priority order, compiled
 * with `new Function`. Each route set gets its own `batch` loop so the call
 * to `decide` is monomorphic, as it would be in an application.
 */
export function compileHandWritten(routes: readonly Route[]): HandWritten {
  const ordered = evaluationOrder(routes);
  const source = handWrittenSource(ordered);
  const factory = new Function("routes", "lowerPromptText", source) as (
    routes: readonly Route[],
    lower: typeof lowerPromptText,
  ) => { decide: Decide; batch: DecideBatch };
  const { decide, batch } = factory(ordered, lowerPromptText);
  return { decide, batch, source };
}
