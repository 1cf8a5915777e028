import type { Route, RoutingEngine } from "@switchyard/core";
import type { Decision } from "./fixtures.js";
import type { HandWritten } from "./hand-written.js";
import type { JsonRules } from "./json-rules.js";

export interface Implementations {
  readonly ours: RoutingEngine;
  readonly hand: HandWritten;
  readonly rules: JsonRules;
}

const show = (route: Route | undefined): string => (route ? route.name : "(no match)");

/** Throws unless all three implementations pick the same route for every decision. */
export async function assertSameDecisions(
  impls: Implementations,
  decisions: readonly Decision[],
  context: string,
): Promise<void> {
  for (const d of decisions) {
    const ours = impls.ours.evaluate(d.request, d.context, d.inputTokens, d.cost);
    const hand = impls.hand.decide(d.request, d.context, d.inputTokens, d.cost);
    const rules = await impls.rules.decide(d.request, d.context, d.inputTokens, d.cost);
    if (ours?.id !== hand?.id || ours?.id !== rules?.id) {
      throw new Error(
        `${context}, ${d.label}: implementations disagree: ours ${show(ours)}, ` +
          `hand-written ${show(hand)}, json-rules-engine ${show(rules)}\n` +
          `decision: ${JSON.stringify(d)}`,
      );
    }
  }
}

/** Throws unless `decision` is answered by exactly `expected` (or nothing). */
export function assertOutcome(
  impls: Implementations,
  decision: Decision,
  expected: Route | undefined,
  context: string,
): void {
  const d = decision;
  const got = impls.ours.evaluate(d.request, d.context, d.inputTokens, d.cost);
  if (got?.id !== expected?.id) {
    throw new Error(`${context}, ${d.label}: expected ${show(expected)}, got ${show(got)}`);
  }
}
