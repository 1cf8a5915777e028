/**
 * Routes in the wire shape of tt-routing 0.1.0 (snake_case JSON). A route
 * written by the reference crate loads here and ours loads there.
 */

/** All conditions are AND-ed; absent or empty ones are ignored. */
export interface RouteConditions {
  /** Empty: any model. Else the requested model equals one entry exactly (case-sensitive). */
  model_in: string[];
  /** Input-token estimate `<` value (strict). */
  input_tokens_lt: number | null;
  /** Input-token estimate `>` value (strict). */
  input_tokens_gt: number | null;
  /** The request tag equals this exactly; a request without a tag never matches. */
  tag_equals: string | null;
  /** true: some message has an image part; false: none has. */
  has_images?: boolean;
  /** true: some message has an input-audio part; false: none has. */
  has_audio?: boolean;
  /** Lowercased user+system text contains any lowercased keyword. Empty list: ignored. */
  prompt_contains_any_of?: string[];
  /** Cost estimate known and `>` value (USD). */
  estimated_cost_gt?: number;
  /** Cost estimate known and `<` value (USD). */
  estimated_cost_lt?: number;
  /** Beyond the reference: true matches only streamed requests, false only non-streamed. */
  stream?: boolean;
  /** Beyond the reference: true matches only requests that declare tools, false only those without. */
  has_tools?: boolean;
}

export interface RouteAction {
  /** Rewrite the request's model to this. */
  target_model: string;
  /** Ordered fallback models, tried when the target fails with a fallback-eligible error. */
  fallbacks?: string[];
  /** A matched request skips every response cache. */
  disable_cache?: boolean;
  /** Reject with 402 when the routed model's estimated cost exceeds this (USD). */
  max_cost_usd?: number;
}

export interface Route {
  id: string;
  name: string;
  /** 0..2^32-1; higher evaluates first. */
  priority: number;
  enabled: boolean;
  when: RouteConditions;
  then: RouteAction;
}

/** A route before the store assigned its id. */
export type NewRoute = Omit<Route, "id">;

/** A partial update: only the fields present change; `when` and `then` are replaced whole. */
export type RoutePatch = Partial<NewRoute>;

export const DEFAULT_PRIORITY = 100;
export const MAX_PRIORITY = 4_294_967_295;

/** `RouteConditions::default()`: matches every request. */
export function emptyConditions(): RouteConditions {
  return { model_in: [], input_tokens_lt: null, input_tokens_gt: null, tag_equals: null };
}
