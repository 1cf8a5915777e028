import { randomUUID } from "node:crypto";
import { emptyConditions, type NewRoute, type Route } from "@switchyard/core";

/** A fresh random org id (UUID), so tests never see each other's routes in a shared store. */
export function randomOrgId(): string {
  return randomUUID();
}

let sequence = 0;

/** A minimal valid route (defaults of the wire form), with overrides. */
export function newRoute(overrides: Partial<NewRoute> = {}): NewRoute {
  sequence += 1;
  return {
    name: `route-${sequence}`,
    priority: 100,
    enabled: true,
    when: emptyConditions(),
    then: { target_model: "gpt-4o-mini" },
    ...overrides,
  };
}

/** A route that sets every condition and action field, so a round trip can lose none. */
export function fullRoute(overrides: Partial<NewRoute> = {}): NewRoute {
  return newRoute({
    name: "everything-set",
    priority: 4242,
    when: {
      model_in: ["gpt-4o", "claude-sonnet"],
      input_tokens_lt: 100_000,
      input_tokens_gt: 10,
      tag_equals: "batch",
      has_images: true,
      has_audio: false,
      prompt_contains_any_of: ["invoice", "Überweisung"],
      estimated_cost_gt: 0.001,
      estimated_cost_lt: 2.5,
      stream: false,
      has_tools: true,
    },
    then: {
      target_model: "gpt-4o",
      fallbacks: ["claude-sonnet", "gpt-4o-mini"],
      disable_cache: true,
      max_cost_usd: 1.25,
    },
    ...overrides,
  });
}

/** The route without its id, for comparing against what was created. */
export function withoutId(route: Route): NewRoute {
  const { id: _id, ...rest } = route;
  return rest;
}

/** Lower-case UUID v7 (RFC 9562): version nibble 7, variant bits 10. */
export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
