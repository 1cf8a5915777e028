import { hashApiKey } from "../hashing/api-key-hash.js";

const DEMO_ORG_ID = "0190a8b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b";
/** The embedded default's key; `SWITCHYARD_DEMO_KEY` replaces it. Loopback only by default. */
export const DEFAULT_DEMO_KEY = "sy-demo-key";

const openaiCaps = { vision: true, tools: true, json_mode: true };
const claudeCaps = { vision: true, tools: true, json_mode: false };

/**
 * The embedded default: the built-in mock upstream behind two providers (one
 * per API dialect), a small catalog (two models with a prompt-cache tariff),
 * one demo org with one key and four routes (a model rewrite, fallbacks, a
 * cost ceiling, a keyword route).
 */
export function demoConfig(env: NodeJS.ProcessEnv): {
  raw: Record<string, unknown>;
  apiKey: string;
} {
  const apiKey = env.SWITCHYARD_DEMO_KEY || DEFAULT_DEMO_KEY;
  const raw = {
    mock_upstream: { enabled: true },
    retry: { base_delay_ms: 50 },
    providers: {
      "mock-openai": { kind: "openai", base_url: "mock" },
      "mock-anthropic": { kind: "anthropic", base_url: "mock" },
    },
    models: {
      "gpt-4o": model("mock-openai", 2.5, 10, openaiCaps, 128_000),
      "gpt-4o-mini": model("mock-openai", 0.15, 0.6, openaiCaps, 128_000),
      // Prompt-cache accounting: the default tariff (5m writes 1.25x, 1h 2x, reads 0.1x, 1,024-token floor).
      "claude-sonnet-4-5": {
        ...model("mock-anthropic", 3, 15, claudeCaps, 200_000),
        cache_tariff: {},
      },
      // The same with a floor of 16 tokens, so a curl-sized prompt shows cache writes and reads.
      "claude-haiku-4-5": {
        ...model("mock-anthropic", 1, 5, claudeCaps, 200_000),
        cache_tariff: { min_prefix_tokens: 16 },
      },
      "claude-opus-4-1": model("mock-anthropic", 15, 75, claudeCaps, 200_000),
      // Always answers 500 (mock fault injection in the upstream model name).
      "demo-flaky": {
        ...model("mock-openai", 0.5, 1.5, openaiCaps, 16_000),
        upstream_model: "demo-flaky~fail=500",
      },
    },
    orgs: [
      {
        id: DEMO_ORG_ID,
        name: "demo",
        api_keys: [{ name: "demo", sha256: hashApiKey(apiKey) }],
        routes: [
          {
            name: "code-questions-to-sonnet",
            priority: 200,
            when: { prompt_contains_any_of: ["typescript", "python", "stack trace", "bug"] },
            then: { target_model: "claude-sonnet-4-5", fallbacks: ["gpt-4o"] },
          },
          {
            name: "short-gpt-4o-to-mini",
            when: { model_in: ["gpt-4o"], input_tokens_lt: 1000 },
            then: { target_model: "gpt-4o-mini" },
          },
          {
            name: "flaky-with-fallbacks",
            when: { model_in: ["demo-flaky"] },
            then: { target_model: "demo-flaky", fallbacks: ["gpt-4o-mini", "claude-haiku-4-5"] },
          },
          {
            name: "opus-budget",
            when: { model_in: ["claude-opus-4-1"] },
            then: { target_model: "claude-opus-4-1", max_cost_usd: 0.05 },
          },
        ],
      },
    ],
  };
  return { raw, apiKey };
}

function model(
  provider: string,
  input: number,
  output: number,
  capabilities: Record<string, boolean>,
  contextWindow: number,
) {
  return {
    provider,
    input_price_per_million: input,
    output_price_per_million: output,
    capabilities,
    context_window: contextWindow,
  };
}
