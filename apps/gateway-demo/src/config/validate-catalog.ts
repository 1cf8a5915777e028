import { isUuid, type NewRoute, TTL_TIERS, validateNewRoute } from "@switchyard/core";
import { checkRouteModels } from "../catalog/route-models.js";
import { hashApiKey, isKeyHash } from "../hashing/api-key-hash.js";
import type { ApiKind } from "../protocol/api-kind.js";
import { DEFAULTS } from "./defaults.js";
import { describe, type FieldReader, isObj, type Obj } from "./field-reader.js";
import {
  CACHE_ACCOUNTINGS,
  type CacheAccounting,
  type CacheTariffConfig,
  type ModelConfig,
  type OrgConfig,
  type ProviderConfig,
} from "./types.js";

const KINDS: readonly ApiKind[] = ["openai", "anthropic"];

export function readProviders(
  r: FieldReader,
  raw: Obj,
  env: NodeJS.ProcessEnv,
  mockEnabled: boolean,
): Map<string, ProviderConfig> {
  const out = new Map<string, ProviderConfig>();
  const section = r.section(raw, "providers", "");
  for (const [name, value] of Object.entries(section)) {
    const path = `providers.${name}`;
    if (!isObj(value)) {
      r.fail(path, `must be an object, got ${describe(value)}`);
      continue;
    }
    r.onlyKeys(value, path, ["kind", "base_url", "api_key_env", "anthropic_version"]);
    const kind = r.oneOf(value, "kind", path, KINDS, "openai");
    if (value.kind === undefined) r.fail(`${path}.kind`, `is required: one of ${KINDS.join(", ")}`);
    const baseUrl = r.requiredString(value, "base_url", path);
    if (baseUrl === "mock") {
      if (!mockEnabled) r.fail(`${path}.base_url`, '"mock" needs mock_upstream.enabled: true');
    } else if (baseUrl !== "" && !isHttpUrl(baseUrl)) {
      r.fail(`${path}.base_url`, `must be an http(s) URL or "mock", got ${describe(baseUrl)}`);
    }
    const keyEnv = r.string(value, "api_key_env", path);
    let apiKey: string | undefined;
    if (keyEnv !== undefined) {
      apiKey = env[keyEnv];
      if (!apiKey) r.fail(`${path}.api_key_env`, `environment variable ${keyEnv} is not set`);
    }
    out.set(name, {
      name,
      kind,
      baseUrl: baseUrl.replace(/\/+$/, ""),
      apiKey,
      anthropicVersion: r.string(value, "anthropic_version", path, DEFAULTS.anthropicVersion),
    });
  }
  return out;
}

export function readModels(
  r: FieldReader,
  raw: Obj,
  providers: ReadonlyMap<string, ProviderConfig>,
): Map<string, ModelConfig> {
  const out = new Map<string, ModelConfig>();
  const section = r.section(raw, "models", "");
  for (const [name, value] of Object.entries(section)) {
    const path = `models.${name}`;
    if (!isObj(value)) {
      r.fail(path, `must be an object, got ${describe(value)}`);
      continue;
    }
    r.onlyKeys(value, path, [
      "provider",
      "upstream_model",
      "input_price_per_million",
      "output_price_per_million",
      "capabilities",
      "context_window",
      "cache_tariff",
      "cache_accounting",
      "deterministic",
    ]);
    const provider = r.requiredString(value, "provider", path);
    if (provider !== "" && !providers.has(provider)) {
      r.fail(
        `${path}.provider`,
        `unknown provider ${describe(provider)}; define it under providers`,
      );
    }
    const caps = r.section(value, "capabilities", path, ["vision", "tools", "json_mode", "audio"]);
    const capPath = `${path}.capabilities`;
    const model: ModelConfig = {
      name,
      provider,
      // An unknown provider has failed above (the config is rejected); the kind is then moot.
      providerKind: providers.get(provider)?.kind ?? "openai",
      upstreamModel: r.string(value, "upstream_model", path, name),
      capabilities: {
        vision: r.bool(caps, "vision", capPath, false),
        tools: r.bool(caps, "tools", capPath, false),
        json_mode: r.bool(caps, "json_mode", capPath, false),
        audio: r.bool(caps, "audio", capPath, false),
      },
      ...optional("inputPricePerMillion", r.amount(value, "input_price_per_million", path)),
      ...optional("outputPricePerMillion", r.amount(value, "output_price_per_million", path)),
      ...optional("contextWindow", readContextWindow(r, value, path)),
      ...optional("cacheTariff", readCacheTariff(r, value, path)),
      cacheAccounting: readCacheAccounting(r, value, path),
      deterministic: r.bool(value, "deterministic", path, false),
    };
    out.set(name, model);
  }
  return out;
}

/**
 * `cache_tariff`: `{}` takes every default; the model's input and output
 * prices are the tariff's base prices, so both are required with it.
 */
function readCacheTariff(r: FieldReader, value: Obj, path: string): CacheTariffConfig | undefined {
  if (value.cache_tariff === undefined || value.cache_tariff === null) return undefined;
  const tp = `${path}.cache_tariff`;
  const t = r.section(value, "cache_tariff", path, [
    "write_multipliers",
    "read_multiplier",
    "min_prefix_tokens",
  ]);
  const d = DEFAULTS.cacheTariff;
  for (const price of ["input_price_per_million", "output_price_per_million"]) {
    if (value[price] === undefined || value[price] === null) {
      r.fail(tp, `needs ${path}.${price} (the tariff prices cache reads and writes from it)`);
    }
  }
  const w = r.section(t, "write_multipliers", tp, TTL_TIERS);
  const wp = `${tp}.write_multipliers`;
  return {
    writeMultipliers: {
      "5m": r.amount(w, "5m", wp) ?? d.writeMultipliers["5m"],
      "1h": r.amount(w, "1h", wp) ?? d.writeMultipliers["1h"],
      "24h": r.amount(w, "24h", wp) ?? d.writeMultipliers["24h"],
    },
    readMultiplier: r.amount(t, "read_multiplier", tp) ?? d.readMultiplier,
    minPrefixTokens: r.int(t, "min_prefix_tokens", tp, d.minPrefixTokens, 0, 100_000_000),
  };
}

/** `cache_accounting`: `"provider"` needs the `cache_tariff` that prices the provider's reads and writes. */
function readCacheAccounting(r: FieldReader, value: Obj, path: string): CacheAccounting {
  const accounting = r.oneOf(value, "cache_accounting", path, CACHE_ACCOUNTINGS, "gateway");
  const hasTariff = value.cache_tariff !== undefined && value.cache_tariff !== null;
  if (accounting === "provider" && !hasTariff) {
    r.fail(
      `${path}.cache_accounting`,
      `"provider" needs ${path}.cache_tariff (it prices the provider's cache reads and writes; {} takes the defaults)`,
    );
  }
  return accounting;
}

function readContextWindow(r: FieldReader, value: Obj, path: string): number | undefined {
  if (value.context_window === undefined || value.context_window === null) return undefined;
  return r.int(value, "context_window", path, 0, 1, 1_000_000_000);
}

export function readOrgs(
  r: FieldReader,
  raw: Obj,
  models: ReadonlyMap<string, ModelConfig>,
  env: NodeJS.ProcessEnv,
): OrgConfig[] {
  const seenIds = new Set<string>();
  const seenKeys = new Map<string, string>();
  return r.array(raw, "orgs", "").flatMap((value, i): OrgConfig[] => {
    const path = `orgs[${i}]`;
    if (!isObj(value)) {
      r.fail(path, `must be an object, got ${describe(value)}`);
      return [];
    }
    r.onlyKeys(value, path, ["id", "name", "api_keys", "routes"]);
    const id = r.requiredString(value, "id", path).toLowerCase();
    if (id !== "" && !isUuid(id)) r.fail(`${path}.id`, `must be a UUID, got ${describe(value.id)}`);
    if (seenIds.has(id)) r.fail(`${path}.id`, `repeats org id ${id}`);
    seenIds.add(id);
    const apiKeyHashes = r.array(value, "api_keys", path).flatMap((key, k) => {
      const hash = readKey(r, key, `${path}.api_keys[${k}]`, env);
      if (hash === undefined) return [];
      const owner = seenKeys.get(hash);
      if (owner !== undefined)
        r.fail(`${path}.api_keys[${k}]`, `the same key is already listed at ${owner}`);
      seenKeys.set(hash, `${path}.api_keys[${k}]`);
      return [hash];
    });
    const seenNames = new Map<string, string>();
    const routes = r.array(value, "routes", path).flatMap((route, j) => {
      const read = readRoute(r, route, `${path}.routes[${j}]`, models);
      for (const { name } of read) checkRouteName(r, seenNames, name, `${path}.routes[${j}]`);
      return read;
    });
    return [{ id, name: r.string(value, "name", path, id), apiKeyHashes, routes }];
  });
}

function readKey(
  r: FieldReader,
  key: unknown,
  path: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (!isObj(key)) {
    r.fail(path, 'must be an object: {"sha256": "<hex>"} or {"env": "VAR_WITH_THE_KEY"}');
    return undefined;
  }
  r.onlyKeys(key, path, ["name", "sha256", "env"]);
  if (typeof key.sha256 === "string") {
    if (isKeyHash(key.sha256)) return key.sha256.toLowerCase();
    r.fail(`${path}.sha256`, "must be 64 hex characters (the SHA-256 of the key)");
    return undefined;
  }
  if (typeof key.env === "string") {
    const raw = env[key.env];
    if (raw) return hashApiKey(raw);
    r.fail(`${path}.env`, `environment variable ${key.env} is not set`);
    return undefined;
  }
  r.fail(path, 'needs "sha256" (hex digest of the key) or "env" (variable holding the key)');
  return undefined;
}

/** Route names are unique within an org (forced routing picks a route by name). */
function checkRouteName(r: FieldReader, seen: Map<string, string>, name: string, path: string) {
  const earlier = seen.get(name);
  if (earlier === undefined) seen.set(name, path);
  else
    r.fail(
      `${path}.name`,
      `repeats the route name ${JSON.stringify(name)} of ${earlier}; route names are unique within an org (forced routing picks a route by name)`,
    );
}

function readRoute(
  r: FieldReader,
  raw: unknown,
  path: string,
  models: ReadonlyMap<string, ModelConfig>,
): NewRoute[] {
  const result = validateNewRoute(raw, models);
  if (!result.ok) {
    for (const issue of result.issues)
      r.fail(issue.path ? `${path}.${issue.path}` : path, issue.message);
    return [];
  }
  const issues = checkRouteModels(result.value, models);
  for (const issue of issues) r.fail(`${path}.${issue.path}`, issue.message);
  return issues.length === 0 ? [result.value] : [];
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
