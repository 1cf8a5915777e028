import type { WireRoute } from "@switchyard/core";

/*
 * The gateway's JSON shapes the page reads (apps/gateway-demo: routes-handler,
 * explain-handler, models-handler). A route is @switchyard/core's `WireRoute`
 * (what its routeToWire writes), imported as a type only, so the page bundles
 * none of core. Fields the page does not use are left out.
 */

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
