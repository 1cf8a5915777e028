import {
  type Route,
  type RouteConditions,
  type RoutingContext,
  RoutingEngine,
  type RoutingRequest,
} from "@switchyard/core";
import { createRng, type Rng } from "../../lib/prng.js";

/** One routing decision's inputs. */
export interface Decision {
  readonly label: string;
  readonly request: RoutingRequest;
  readonly context: RoutingContext;
  readonly inputTokens: number;
  readonly cost: number | undefined;
}

export interface RouteSet {
  /** In input (store) order; the engines sort by priority themselves. */
  readonly routes: readonly Route[];
  /** Model is in many routes, every route fails on another condition. */
  readonly noMatch: Decision;
  /** The route at position n/2 in evaluation order is the first that matches. */
  readonly middle: Decision;
  readonly middleRoute: Route;
}

export const MODELS = [
  "gpt-4o",
  "gpt-4o-mini",
  "gpt-4.1",
  "gpt-4.1-mini",
  "o3-mini",
  "claude-3-5-sonnet",
  "claude-3-5-haiku",
  "claude-3-opus",
  "claude-sonnet-4",
  "gemini-1.5-pro",
  "gemini-1.5-flash",
  "gemini-2.0-flash",
  "llama-3.1-70b",
  "llama-3.1-8b",
  "mistral-large",
  "mistral-small",
  "mixtral-8x7b",
  "command-r-plus",
  "deepseek-chat",
  "qwen-2.5-72b",
] as const;

/** The model most routes mention; both benchmark requests ask for it. */
export const HOT_MODEL = "gpt-4o";
const TAGS = ["batch", "interactive", "eval", "internal", "beta", "premium"];
/** Mixed case on purpose: keywords match case-insensitively. */
const KEYWORDS = [
  "translate",
  "Summarize",
  "legal",
  "medical",
  "invoice",
  "poem",
  "regex",
  "kubernetes",
  "refund",
  "diagnosis",
  "haiku",
  "Python",
  "spreadsheet",
  "résumé",
  "contract",
  "sql",
];
/** 1800 is the benchmark requests' estimate: strict bounds must reject it. */
const TOKENS_LT = [512, 1024, 1800, 4000, 8000, 16000, 32000];
const TOKENS_GT = [256, 1000, 1800, 4000, 8000];
const COST_GT = [0.001, 0.0123, 0.05, 0.2];
const COST_LT = [0.005, 0.0123, 0.1, 1];

const system = { role: "system", content: "You are a helpful assistant for an online shop." };
const assistant = {
  role: "assistant",
  // Keywords in the model's own output must not trigger a topic route.
  content: "Sure. Shall I also translate it, summarize the legal notes, or write a haiku?",
};

function decision(label: string, userText: string): Decision {
  const user = { role: "user", content: userText };
  return {
    label,
    request: {
      model: HOT_MODEL,
      messages: [system, { role: "user", content: "Hi!" }, assistant, user],
    },
    context: { tag: "interactive" },
    inputTokens: 1800,
    cost: 0.0123,
  };
}

const NO_MATCH = decision("no match", "Just a friendly description of a ceramic mug, please.");
const MIDDLE = decision("match in the middle", "Now write the SQL query for monthly totals.");

/** The middle route: matches MIDDLE only (its keywords are not in NO_MATCH's user/system text). */
function middleConditions(): RouteConditions {
  return {
    model_in: [HOT_MODEL, "gpt-4.1"],
    input_tokens_lt: 4000,
    input_tokens_gt: 1000,
    tag_equals: null,
    prompt_contains_any_of: ["SQL", "database"],
    estimated_cost_lt: 0.05,
  };
}

function randomConditions(rng: Rng): RouteConditions {
  const models = rng.chance(0.2) ? [] : rng.sample(MODELS, rng.int(1, 3));
  if (models.length > 0 && !models.includes(HOT_MODEL) && rng.chance(0.4)) models[0] = HOT_MODEL;
  const when: RouteConditions = {
    model_in: models,
    input_tokens_lt: rng.chance(0.35) ? rng.pick(TOKENS_LT) : null,
    input_tokens_gt: rng.chance(0.25) ? rng.pick(TOKENS_GT) : null,
    tag_equals: rng.chance(0.3) ? rng.pick(TAGS) : null,
  };
  if (when.input_tokens_lt !== null && (when.input_tokens_gt ?? 0) >= when.input_tokens_lt) {
    when.input_tokens_gt = null;
  }
  if (rng.chance(0.35)) when.prompt_contains_any_of = rng.sample(KEYWORDS, rng.int(2, 4));
  if (rng.chance(0.15)) when.estimated_cost_gt = rng.pick(COST_GT);
  if (rng.chance(0.15)) when.estimated_cost_lt = rng.pick(COST_LT);
  if ((when.estimated_cost_gt ?? 0) >= (when.estimated_cost_lt ?? Number.POSITIVE_INFINITY)) {
    delete when.estimated_cost_gt;
  }
  return when;
}

function routeId(i: number): string {
  return `01900000-0000-7000-8000-${i.toString(16).padStart(12, "0")}`;
}

function matches(route: Route, d: Decision): boolean {
  return (
    new RoutingEngine([route]).evaluate(d.request, d.context, d.inputTokens, d.cost) !== undefined
  );
}

/** Evaluation order (docs/routing.md#evaluation-order): priority descending, ties in input order. */
export function evaluationOrder(routes: readonly Route[]): Route[] {
  return [...routes].sort((a, b) => b.priority - a.priority);
}

/**
 * `size` routes, deterministic for a seed. Routes that would match either
 * benchmark request are redrawn, then the route at position n/2 in
 * evaluation order gets conditions that match the middle request only.
 */
export function buildRouteSet(size: number, seed: number): RouteSet {
  const rng = createRng(seed);
  const routes: Route[] = [];
  for (let i = 0; i < size; i++) {
    const priority = rng.chance(0.3) ? 100 : 10 * rng.int(0, Math.ceil(size / 3));
    let route: Route;
    do {
      route = {
        id: routeId(i),
        name: `route-${i}`,
        priority,
        enabled: rng.chance(0.95),
        when: randomConditions(rng),
        then: { target_model: rng.pick(MODELS) },
      };
    } while (matches(route, NO_MATCH) || matches(route, MIDDLE));
    routes.push(route);
  }
  const middleRoute = evaluationOrder(routes)[size >> 1];
  if (middleRoute === undefined) throw new Error(`no middle route in a set of ${size}`);
  middleRoute.enabled = true;
  middleRoute.when = middleConditions();
  return { routes, noMatch: NO_MATCH, middle: MIDDLE, middleRoute };
}

const PROMPTS = [
  "Translate this invoice to French.",
  "Summarize the attached CONTRACT in three bullet points.",
  "Write a haiku about Kubernetes.",
  "Fix my Python regex: ^(a+)+$",
  "What does this medical diagnosis mean?",
  "Hello there",
  "Mon RÉSUMÉ est-il bon ?",
  "I want a refund for my order.",
];

/** Varied decisions for the cross-check: bounds hit exactly, unknown cost, no tag, other models. */
export function randomDecisions(routes: readonly Route[], count: number, seed: number): Decision[] {
  const rng = createRng(seed);
  const bounds = routes.flatMap((r) => [r.when.input_tokens_lt, r.when.input_tokens_gt]);
  const tokenChoices = [0, 1, 1800, 50000, ...bounds.filter((b): b is number => b !== null)];
  const costChoices = [0, 0.001, 0.0123, 0.05, 0.1, 0.2, 1, 3];
  return Array.from({ length: count }, (_, i) => {
    const messages: unknown[] = [
      { role: rng.pick(["user", "system"]), content: rng.pick(PROMPTS) },
    ];
    if (rng.chance(0.5)) messages.push({ role: "assistant", content: rng.pick(PROMPTS) });
    if (rng.chance(0.5)) {
      messages.push({ role: "user", content: [{ type: "text", text: rng.pick(PROMPTS) }] });
    }
    return {
      label: `random #${i}`,
      request: { model: rng.chance(0.6) ? HOT_MODEL : rng.pick(MODELS), messages },
      context: rng.chance(0.3) ? {} : { tag: rng.pick(TAGS) },
      inputTokens: rng.pick(tokenChoices),
      cost: rng.chance(0.25) ? undefined : rng.pick(costChoices),
    };
  });
}
