/*
 * The gateway's JSON shapes the page reads (apps/gateway-demo: routes-handler,
 * explain-handler, models-handler; the route wire form of @switchyard/core's
 * routeToWire). Fields the page does not use are left out.
 */

export interface WireConditions {
  model_in: string[];
  input_tokens_lt: number | null;
  input_tokens_gt: number | null;
  tag_equals: string | null;
  has_images?: boolean;
  has_audio?: boolean;
  prompt_contains_any_of?: string[];
  estimated_cost_gt?: number;
  estimated_cost_lt?: number;
  stream?: boolean;
  has_tools?: boolean;
}

export interface WireAction {
  target_model: string;
  fallbacks?: string[];
  disable_cache?: boolean;
  max_cost_usd?: number;
}

export interface WireRoute {
  id: string;
  name: string;
  priority: number;
  enabled: boolean;
  when: WireConditions;
  then: WireAction;
}

/** `GET /v1/routes`: the org's routes in evaluation order, disabled ones included. */
export interface RouteList {
  object: "list";
  data: WireRoute[];
}

export type ExplainDecision =
  | {
      outcome: "routed" | "forced" | "bypassed" | "unrouted";
      route: string | null;
      candidates: string[];
      bypass_reason: string | null;
    }
  | { outcome: "rejected"; status: number; code: string; message: string };

export interface ExplainVerdict {
  id: string;
  name: string;
  priority: number;
  enabled: boolean;
  matched: boolean;
  /** `enabled` for a disabled route, else the first condition that did not hold; `null` when matched. */
  failed_condition: string | null;
  reason: string;
}

/** `POST /v1/routes/explain`. */
export interface ExplainResponse {
  decision: ExplainDecision;
  input_tokens: number;
  estimated_cost_usd: number | null;
  /** The route the engine picks (first enabled match), before the capability guard. */
  route: WireRoute | null;
  /** Every route in evaluation order. */
  verdicts: ExplainVerdict[];
}

/** `GET /v1/models` (OpenAI list shape). */
export interface ModelList {
  object: "list";
  data: Array<{ id: string }>;
}

/** The OpenAI error envelope every `/v1` endpoint but `/v1/messages` answers with. */
export interface ErrorEnvelope {
  error: { message: string; type: string; code: string | null; param: string | null };
}
