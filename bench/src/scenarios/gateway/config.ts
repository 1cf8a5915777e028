import { createRng, type Rng } from "../../lib/prng.js";

/** The benchmark org; its key comes from the gateway child's environment. */
export const ORG_ID = "01900000-0000-7000-8000-0000000be9c8";
export const KEY_ENV = "SWITCHYARD_BENCH_KEY";
export const API_KEY = "sy-bench-key";
const SEED = 20250909;

/** The model every plain benchmark request asks for; most routes mention it. */
export const HOT_MODEL = "gpt-4o";
/**
 * Streaming requests: the mock reads the chunk delay from the model name,
 * and the catalog uses that name as is, so all three paths send the same bytes.
 */
export const CHUNK_DELAY_MS = 2;
export const STREAM_MODEL = `gpt-4o~chunk_delay=${CHUNK_DELAY_MS}`;
/** A catalog model with a `cache_tariff`: the gateway does prompt-cache accounting for it. */
export const ACCOUNTED_MODEL = "gpt-4o-pc";

/** [name, input $/M, output $/M]; every model is served by the mock (OpenAI API). */
const CATALOG: ReadonlyArray<readonly [string, number, number]> = [
  ["gpt-4o", 2.5, 10],
  ["gpt-4o-mini", 0.15, 0.6],
  ["gpt-4.1", 2, 8],
  ["gpt-4.1-mini", 0.4, 1.6],
  ["o3-mini", 1.1, 4.4],
  ["claude-sonnet-4", 3, 15],
  ["claude-haiku-4", 1, 5],
  ["gemini-2.0-flash", 0.1, 0.4],
  ["llama-3.1-70b", 0.6, 0.6],
  ["mistral-large", 2, 6],
  ["deepseek-chat", 0.27, 1.1],
  ["qwen-2.5-72b", 0.4, 1.2],
];
const ROUTABLE = CATALOG.map(([name]) => name);

const TAGS = ["batch", "interactive", "eval", "internal", "beta", "premium"];
const KEYWORDS = [
  "translate",
  "summarize",
  "legal",
  "medical",
  "invoice",
  "poem",
  "regex",
  "kubernetes",
  "refund",
  "diagnosis",
  "haiku",
  "python",
  "spreadsheet",
  "contract",
  "sql",
];
const TOKENS_LT = [512, 1024, 4000, 8000, 16000, 32000];
const TOKENS_GT = [256, 1000, 4000, 8000, 30000];
const COST_GT = [0.001, 0.01, 0.05, 0.2];
const COST_LT = [0.005, 0.02, 0.1, 1];

type Obj = Record<string, unknown>;

/**
 * One route's conditions. Every route has at least one condition the
 * benchmark requests fail (a tag, which they never send; keywords, which
 * their text cannot contain; or a model list without their models), so the
 * whole set is walked on every request and nothing is rewritten: the bytes
 * that reach the mock are the bytes the client sent, as on the direct path.
 */
function conditions(rng: Rng): Obj {
  const models = rng.chance(0.2) ? [] : rng.sample(ROUTABLE, rng.int(1, 3));
  if (models.length > 0 && !models.includes(HOT_MODEL) && rng.chance(0.4)) models[0] = HOT_MODEL;
  const when: Obj = {};
  if (models.length > 0) when.model_in = models;
  const lt = rng.chance(0.35) ? rng.pick(TOKENS_LT) : undefined;
  const gt = rng.chance(0.25) ? rng.pick(TOKENS_GT) : undefined;
  if (lt !== undefined) when.input_tokens_lt = lt;
  if (gt !== undefined && (lt === undefined || gt < lt)) when.input_tokens_gt = gt;
  if (rng.chance(0.3)) when.tag_equals = rng.pick(TAGS);
  if (rng.chance(0.35)) when.prompt_contains_any_of = rng.sample(KEYWORDS, rng.int(2, 4));
  const costGt = rng.chance(0.15) ? rng.pick(COST_GT) : undefined;
  const costLt = rng.chance(0.15) ? rng.pick(COST_LT) : undefined;
  if (costGt !== undefined && (costLt === undefined || costGt < costLt)) {
    when.estimated_cost_gt = costGt;
  }
  if (costLt !== undefined) when.estimated_cost_lt = costLt;
  const failsForBench =
    when.tag_equals !== undefined ||
    when.prompt_contains_any_of !== undefined ||
    (models.length > 0 && !models.includes(HOT_MODEL));
  if (!failsForBench) when.tag_equals = rng.pick(TAGS);
  return when;
}

/** 100 routes in the route wire form (docs/routing.md#wire-format), seeded: priorities with ties, ~5% disabled, some fallbacks. */
export function benchRoutes(count: number, options: { tokenConditions: boolean }): Obj[] {
  const rng = createRng(SEED);
  const routes: Obj[] = [];
  for (let i = 0; i < count; i++) {
    const when = conditions(rng);
    if (!options.tokenConditions) {
      for (const field of [
        "input_tokens_lt",
        "input_tokens_gt",
        "estimated_cost_gt",
        "estimated_cost_lt",
      ]) {
        delete when[field];
      }
    }
    const target = rng.pick(ROUTABLE);
    const then: Obj = { target_model: target };
    if (rng.chance(0.3)) then.fallbacks = [rng.pick(ROUTABLE.filter((m) => m !== target))];
    routes.push({
      name: `route-${String(i).padStart(3, "0")}`,
      priority: rng.chance(0.3) ? 100 : 10 * rng.int(0, 34),
      enabled: rng.chance(0.95),
      when,
      then,
    });
  }
  return routes;
}

export interface ConfigOptions {
  readonly port: number;
  readonly mockUrl: string;
  readonly routes: number;
  /** Turn on the response cache and prompt-cache accounting (`response_cache`, `prompt_cache`, ACCOUNTED_MODEL). */
  readonly caches: boolean;
  /** With `false`, the routes keep no token or cost condition (no tokenizing on the hot path). */
  readonly tokenConditions: boolean;
}

/**
 * The gateway's JSON config: the embedded default's settings (memory route
 * store, default log level, pools, retries and breaker), but the mock as an
 * external OpenAI provider, a 12-model catalog and one org with 100 routes.
 */
export function gatewayConfig(options: ConfigOptions): Obj {
  const capabilities = { vision: true, tools: true, json_mode: true };
  const model = (input: number, output: number): Obj => ({
    provider: "mock",
    input_price_per_million: input,
    output_price_per_million: output,
    capabilities,
    context_window: 128_000,
  });
  const models: Obj = Object.fromEntries(CATALOG.map(([name, i, o]) => [name, model(i, o)]));
  models[STREAM_MODEL] = model(2.5, 10);
  if (options.caches) models[ACCOUNTED_MODEL] = { ...model(2.5, 10), cache_tariff: {} };
  return {
    server: { host: "127.0.0.1", port: options.port },
    ...(options.caches
      ? { response_cache: { enabled: true }, prompt_cache: { enabled: true } }
      : {}),
    providers: { mock: { kind: "openai", base_url: `${options.mockUrl}/v1` } },
    models,
    orgs: [
      {
        id: ORG_ID,
        name: "bench",
        api_keys: [{ name: "bench", env: KEY_ENV }],
        routes: benchRoutes(options.routes, { tokenConditions: options.tokenConditions }),
      },
    ],
  };
}
