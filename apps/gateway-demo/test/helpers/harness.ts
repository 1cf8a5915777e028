import pino from "pino";
import { validateConfig } from "../../src/config/validate-config.js";
import { type Gateway, startGateway } from "../../src/gateway.js";
import { hashApiKey } from "../../src/hashing/api-key-hash.js";
import { MockUpstream } from "../../src/mock/mock-upstream.js";

export const ORG_A = "01900000-0000-7000-8000-00000000000a";
export const ORG_B = "01900000-0000-7000-8000-00000000000b";
export const KEY_A = "sk-test-org-a";
export const KEY_B = "sk-test-org-b";

const all = { vision: true, tools: true, json_mode: true };

/** The catalog every test gateway has; fault-injecting models carry mock directives in `upstream_model`. */
export function testModels(): Record<string, Record<string, unknown>> {
  const oa = (upstream: string, extra: Record<string, unknown> = {}) => ({
    provider: "oa",
    upstream_model: upstream,
    input_price_per_million: 1,
    output_price_per_million: 2,
    capabilities: all,
    context_window: 100_000,
    ...extra,
  });
  return {
    "gpt-a": oa("gpt-a"),
    "gpt-b": oa("gpt-b"),
    "gpt-c": oa("gpt-c"),
    "claude-a": { ...oa("claude-a"), provider: "an" },
    "claude-b": { ...oa("claude-b"), provider: "an" },
    "no-vision": oa("no-vision", { capabilities: { vision: false, tools: true, json_mode: true } }),
    "tiny-context": oa("tiny-context", { context_window: 50 }),
    pricey: oa("pricey", { input_price_per_million: 100, output_price_per_million: 1000 }),
    "fail-500": oa("m500~fail=500"),
    "fail-529": { ...oa("m529~fail=529"), provider: "an" },
    "fail-400": oa("m400~fail=400"),
    "fail-404": oa("m404~fail=404"),
    "rate-limited-once": oa("m429~fail=429~retry_after=1~times=1"),
    "rate-limited-long": oa("m429long~fail=429~retry_after=120"),
    "cut-before-first": oa("cut0~cut=0"),
    "cut-after-two": oa("cut2~cut=2"),
    "claude-cut-after-two": { ...oa("ccut2~cut=2"), provider: "an" },
    "slow-300": oa("slow~latency=300"),
    "slow-5000": oa("slower~latency=5000"),
    "slow-stream": oa("drip~chunk_delay=150"),
    "stall-after-one": oa("stall1~stall=1"),
    "breaker-500": { ...oa("b500~fail=500"), provider: "breakable" },
    "breaker-ok": { ...oa("bok"), provider: "breakable" },
    "with-tool": oa("wtool~tool"),
    "claude-with-tool": { ...oa("cwtool~tool"), provider: "an" },
    // Response cache: a slow upstream (concurrent requests overlap), a model marked deterministic.
    "slow-200": oa("slow200~latency=200"),
    deterministic: oa("deterministic", { deterministic: true }),
    // Prompt-cache accounting: models with a cache tariff ($3 / $15 per million, default multipliers).
    "cached-claude": cached("an", "cached-claude"),
    "cached-gpt": cached("oa", "cached-gpt"),
    // Fails both attempts of the first request (2 per candidate), then answers.
    "cached-claude-flaky": cached("an", "ccflaky~fail=500~times=2"),
    "cached-gpt-400": cached("oa", "cg400~fail=400~times=1"),
    // The first stream breaks after two content chunks, later ones complete.
    "cached-claude-cut": cached("an", "cccut~cut=2~times=1"),
    "cached-slow": cached("oa", "cslow~latency=150"),
  };
}

/** A catalog model with a cache tariff: a 32-token floor so short test prompts are cached. */
function cached(provider: string, upstream: string): Record<string, unknown> {
  return {
    provider,
    upstream_model: upstream,
    input_price_per_million: CACHED_PRICES.input,
    output_price_per_million: CACHED_PRICES.output,
    capabilities: all,
    context_window: 200_000,
    cache_tariff: { min_prefix_tokens: CACHED_FLOOR },
  };
}

export const CACHED_PRICES = { input: 3, output: 15 } as const;
export const CACHED_FLOOR = 32;

export interface Harness {
  readonly gateway: Gateway;
  readonly mock: MockUpstream;
  readonly url: string;
  close(): Promise<void>;
}

/** A mock upstream plus a gateway on loopback (memory store unless the config names a database). */
export async function startHarness(
  overrides: Record<string, unknown> = {},
  options: { logger?: pino.Logger } = {},
): Promise<Harness> {
  const mock = await MockUpstream.start();
  const raw = testConfig(mock, overrides);
  const config = validateConfig(raw, { source: "test", env: {} });
  const gateway = await startGateway(config, {
    logger: options.logger ?? pino({ level: "silent" }),
  });
  return {
    gateway,
    mock,
    url: gateway.url,
    async close() {
      await gateway.close();
      await mock.close();
    },
  };
}

export function testConfig(
  mock: MockUpstream,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    server: { port: 0, body_limit_bytes: 64 * 1024, shutdown_timeout_ms: 2_000 },
    retry: { max_attempts: 2, base_delay_ms: 1, max_delay_ms: 5, max_retry_after_ms: 5_000 },
    upstream: { headers_timeout_ms: 2_000, body_timeout_ms: 1_000 },
    circuit_breaker: { failure_threshold: 50, cooldown_ms: 60_000 },
    providers: {
      oa: { kind: "openai", base_url: mock.baseUrlFor("openai") },
      an: { kind: "anthropic", base_url: mock.baseUrlFor("anthropic") },
      breakable: { kind: "openai", base_url: mock.baseUrlFor("openai") },
    },
    models: testModels(),
    orgs: [
      { id: ORG_A, name: "org-a", api_keys: [{ sha256: hashApiKey(KEY_A) }] },
      { id: ORG_B, name: "org-b", api_keys: [{ sha256: hashApiKey(KEY_B) }] },
    ],
    ...overrides,
  };
}
