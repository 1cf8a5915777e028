import pino from "pino";
import { hashApiKey } from "../../src/auth/api-keys.js";
import { validateConfig } from "../../src/config/validate-config.js";
import { type Gateway, startGateway } from "../../src/gateway.js";
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
  };
}

export interface Harness {
  readonly gateway: Gateway;
  readonly mock: MockUpstream;
  readonly url: string;
  close(): Promise<void>;
}

/** A mock upstream plus a gateway on loopback (memory store unless the config names a database). */
export async function startHarness(overrides: Record<string, unknown> = {}): Promise<Harness> {
  const mock = await MockUpstream.start();
  const raw = testConfig(mock, overrides);
  const config = validateConfig(raw, { source: "test", env: {} });
  const gateway = await startGateway(config, { logger: pino({ level: "silent" }) });
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
      oa: { kind: "openai", base_url: mock.openaiBaseUrl },
      an: { kind: "anthropic", base_url: mock.anthropicBaseUrl },
      breakable: { kind: "openai", base_url: mock.openaiBaseUrl },
    },
    models: testModels(),
    orgs: [
      { id: ORG_A, name: "org-a", api_keys: [{ sha256: hashApiKey(KEY_A) }] },
      { id: ORG_B, name: "org-b", api_keys: [{ sha256: hashApiKey(KEY_B) }] },
    ],
    ...overrides,
  };
}
