import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/config-error.js";
import { DEFAULTS } from "../src/config/defaults.js";
import { DEFAULT_DEMO_KEY, demoConfig } from "../src/config/demo-config.js";
import { loadConfig } from "../src/config/load-config.js";
import { validateConfig } from "../src/config/validate-config.js";
import { hashApiKey } from "../src/hashing/api-key-hash.js";

// biome-ignore lint/suspicious/noExplicitAny: tests mutate raw config JSON at arbitrary paths
type Loose = any;

const ORG = "01900000-0000-7000-8000-000000000001";
const base = () => ({
  providers: { oa: { kind: "openai", base_url: "https://api.example.com/v1" } },
  models: { m: { provider: "oa" } },
  orgs: [{ id: ORG, api_keys: [{ sha256: hashApiKey("k") }] }],
});

function issuesOf(raw: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    validateConfig(raw, { source: "test", env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

describe("validation names the field", () => {
  const cases: Array<[string, (raw: Loose) => void, string]> = [
    ["a typo in a section", (r) => (r.sever = {}), "sever: unknown field"],
    ["a typo in a field", (r) => (r.server = { prot: 1 }), "server.prot: unknown field"],
    [
      "a port out of range",
      (r) => (r.server = { port: 70_000 }),
      "server.port: must be an integer between 0 and 65535",
    ],
    ["a bad log level", (r) => (r.log = { level: "loud" }), "log.level: must be one of"],
    [
      "a provider without kind",
      (r) => delete r.providers.oa.kind,
      "providers.oa.kind: is required",
    ],
    [
      "a provider URL that is not http",
      (r) => (r.providers.oa.base_url = "ftp://x"),
      "providers.oa.base_url: must be an http(s) URL",
    ],
    [
      "a missing key variable",
      (r) => (r.providers.oa.api_key_env = "NOPE_KEY"),
      "providers.oa.api_key_env: environment variable NOPE_KEY is not set",
    ],
    [
      "an unknown provider",
      (r) => (r.models.m.provider = "zz"),
      'models.m.provider: unknown provider "zz"',
    ],
    [
      "a negative price",
      (r) => (r.models.m.input_price_per_million = -1),
      "models.m.input_price_per_million: must be a finite number >= 0",
    ],
    [
      "a capability that is not boolean",
      (r) => (r.models.m.capabilities = { vision: "yes" }),
      "models.m.capabilities.vision: must be true or false",
    ],
    ["an org id that is not a UUID", (r) => (r.orgs[0].id = "acme"), "orgs[0].id: must be a UUID"],
    [
      "a key that is not a SHA-256",
      (r) => (r.orgs[0].api_keys = [{ sha256: "abc" }]),
      "orgs[0].api_keys[0].sha256: must be 64 hex characters",
    ],
    [
      "a plain-text key",
      (r) => (r.orgs[0].api_keys = ["sk-plain"]),
      "orgs[0].api_keys[0]: must be an object",
    ],
    [
      "a route with a bad field",
      (r) => (r.orgs[0].routes = [{ name: "x", priority: -1, then: { target_model: "m" } }]),
      "orgs[0].routes[0].priority",
    ],
    [
      "two routes of one org with one name (forced routing by name would be ambiguous)",
      (r) =>
        (r.orgs[0].routes = [
          { name: "x", then: { target_model: "m" } },
          { name: "y", then: { target_model: "m" } },
          { name: "x", priority: 5, then: { target_model: "m" } },
        ]),
      'orgs[0].routes[2].name: repeats the route name "x" of orgs[0].routes[0]',
    ],
    [
      "a route to an unknown model",
      (r) => (r.orgs[0].routes = [{ name: "x", then: { target_model: "nope" } }]),
      "orgs[0].routes[0].then.target_model: unknown model `nope`",
    ],
    [
      "a cache tariff on a model without prices",
      (r) => (r.models.m.cache_tariff = {}),
      "models.m.cache_tariff: needs models.m.input_price_per_million",
    ],
    [
      "a bad cache tariff field",
      (r) => {
        r.models.m = { provider: "oa", input_price_per_million: 1, output_price_per_million: 2 };
        r.models.m.cache_tariff = { write_multipliers: { "5m": -1 }, min_prefix_tokens: 1.5 };
      },
      "models.m.cache_tariff.write_multipliers.5m: must be a finite number >= 0",
    ],
    [
      "a typo in a cache tariff",
      (r) => (r.models.m.cache_tariff = { read_multplier: 0.1 }),
      "models.m.cache_tariff.read_multplier: unknown field",
    ],
    [
      "a deterministic flag that is not boolean",
      (r) => (r.models.m.deterministic = "yes"),
      "models.m.deterministic: must be true or false",
    ],
    [
      "a Redis URL that is not redis://",
      (r) => (r.prompt_cache = { redis_url: "http://localhost:6379" }),
      "prompt_cache.redis_url: must be a redis:// or rediss:// URL",
    ],
    [
      "an unknown TTL tier",
      (r) => (r.prompt_cache = { enabled_ttl_tiers: ["5m", "2h"] }),
      "prompt_cache.enabled_ttl_tiers: must list one or more of 5m, 1h, 24h",
    ],
    [
      "a default TTL that is not enabled",
      (r) => (r.prompt_cache = { default_ttl: "24h" }),
      'prompt_cache.default_ttl: "24h" must be one of enabled_ttl_tiers',
    ],
    [
      "a response cache TTL of zero",
      (r) => (r.response_cache = { ttl_ms: 0 }),
      "response_cache.ttl_ms: must be an integer between 1 and",
    ],
    [
      "a typo in the metrics section",
      (r) => (r.metrics = { enable: false }),
      "metrics.enable: unknown field",
    ],
    [
      "a mock provider without the mock",
      (r) => (r.providers.oa.base_url = "mock"),
      'providers.oa.base_url: "mock" needs mock_upstream.enabled: true',
    ],
  ];
  for (const [what, mutate, expected] of cases) {
    it(what, () => {
      const raw = base() as Loose;
      mutate(raw);
      expect(issuesOf(raw).join("\n")).toContain(expected);
    });
  }

  it("reports every problem at once", () => {
    const raw = base() as Loose;
    raw.server = { port: -1 };
    raw.models.m.provider = "zz";
    expect(issuesOf(raw)).toHaveLength(2);
  });
});

describe("defaults and keys", () => {
  it("a minimal config gets the documented defaults", () => {
    const config = validateConfig(base(), { source: "test", env: {} });
    expect(config.server).toEqual(DEFAULTS.server);
    expect(config.retry).toEqual(DEFAULTS.retry);
    expect(config.routeStore.databaseUrl).toBeUndefined();
    expect(config.models.get("m")).toMatchObject({
      upstreamModel: "m",
      capabilities: { vision: false, tools: false, json_mode: false },
    });
  });

  it("part 2 sections default as documented; a cache tariff takes the model's prices", () => {
    const raw = base() as Loose;
    raw.models.m = {
      provider: "oa",
      input_price_per_million: 3,
      output_price_per_million: 15,
      cache_tariff: { write_multipliers: { "1h": 3 } },
    };
    const config = validateConfig(raw, { source: "test", env: {} });
    expect(config.responseCache).toEqual(DEFAULTS.responseCache);
    expect(config.metrics).toEqual(DEFAULTS.metrics);
    expect(config.promptCache).toMatchObject({
      enabled: true,
      redisUrl: undefined,
      defaultTtl: "5m",
    });
    expect(config.models.get("m")?.cacheTariff).toEqual({
      writeMultipliers: { "5m": 1.25, "1h": 3, "24h": 2.5 },
      readMultiplier: 0.1,
      minPrefixTokens: 1024,
    });
    expect(config.models.get("m")?.deterministic).toBe(false);
  });

  it("provider keys come from the named variable; org keys may come from a variable and are stored hashed", () => {
    const raw = base() as Loose;
    raw.providers.oa.api_key_env = "UPSTREAM_KEY";
    raw.orgs[0].api_keys = [{ env: "ORG_KEY" }];
    const config = validateConfig(raw, {
      source: "test",
      env: { UPSTREAM_KEY: "sk-up", ORG_KEY: "sk-org" },
    });
    expect(config.providers.get("oa")?.apiKey).toBe("sk-up");
    expect(config.orgs[0]?.apiKeyHashes).toEqual([hashApiKey("sk-org")]);
    expect(JSON.stringify(config.orgs)).not.toContain("sk-org");
  });
});

describe("loading", () => {
  const dir = mkdtempSync(join(tmpdir(), "sy-config-"));
  const file = join(dir, "gateway.json");
  writeFileSync(file, JSON.stringify(base()));

  it("--config and SWITCHYARD_CONFIG name the file; env variables override fields", () => {
    const a = loadConfig(["--config", file], {
      SWITCHYARD_PORT: "9999",
      SWITCHYARD_LOG_LEVEL: "debug",
    });
    expect(a.source).toBe(file);
    expect(a.config.server.port).toBe(9999);
    expect(a.config.log.level).toBe("debug");
    const b = loadConfig([], {
      SWITCHYARD_CONFIG: file,
      DATABASE_URL: "postgres://u@h/db",
      REDIS_URL: "redis://cache:6379",
    });
    expect(b.config.routeStore.databaseUrl).toBe("postgres://u@h/db");
    expect(b.config.promptCache.redisUrl).toBe("redis://cache:6379");
    expect(b.demoKey).toBeUndefined();
  });

  it("a bad override names the field and the variable", () => {
    expect(() => loadConfig([`--config=${file}`], { SWITCHYARD_PORT: "eighty" })).toThrow(
      /server\.port: .*\(set by SWITCHYARD_PORT\)/,
    );
  });

  it("an unreadable or malformed file is a ConfigError saying so", () => {
    expect(() => loadConfig(["--config", join(dir, "missing.json")], {})).toThrow(
      /cannot read .*ENOENT/,
    );
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ nope");
    expect(() => loadConfig(["--config", broken], {})).toThrow(/not valid JSON/);
  });

  it("without a file: the embedded demo (mock upstream, one org, four routes, hashed key)", () => {
    const loaded = loadConfig([], {});
    expect(loaded.source).toBe("embedded default");
    expect(loaded.demoKey).toBe(DEFAULT_DEMO_KEY);
    expect(loaded.config.mockUpstream.enabled).toBe(true);
    expect(loaded.config.orgs[0]?.routes.map((r) => r.name)).toHaveLength(4);
    expect(JSON.stringify(demoConfig({}).raw)).not.toContain(DEFAULT_DEMO_KEY);
    // The demo shows prompt-cache accounting: at least one model has a tariff.
    const tariffed = [...loaded.config.models.values()].filter((m) => m.cacheTariff);
    expect(tariffed.map((m) => m.name)).toContain("claude-haiku-4-5");
  });
});

describe("examples/real-upstreams.json", () => {
  const file = new URL("../examples/real-upstreams.json", import.meta.url).pathname;

  it("is valid once its key variables are set", () => {
    const env = { OPENAI_API_KEY: "sk-o", ANTHROPIC_API_KEY: "sk-a", ACME_GATEWAY_KEY: "sk-acme" };
    const { config } = loadConfig(["--config", file], env);
    expect([...config.providers.keys()]).toEqual(["openai", "anthropic"]);
    expect(config.models.get("claude-sonnet")?.upstreamModel).toBe("claude-sonnet-4-5");
    expect(config.orgs[0]?.routes).toHaveLength(2);
  });

  it("names every missing variable", () => {
    expect(() => loadConfig(["--config", file], {})).toThrow(
      /OPENAI_API_KEY is not set[\s\S]*ANTHROPIC_API_KEY is not set[\s\S]*ACME_GATEWAY_KEY is not set/,
    );
  });
});
