import { isObj, type Obj } from "./field-reader.js";

/** Environment variables that override config fields (the README lists them). */
const ENV_OVERRIDES: ReadonlyArray<{
  env: string;
  path: readonly [string, string];
  numeric: boolean;
}> = [
  { env: "SWITCHYARD_HOST", path: ["server", "host"], numeric: false },
  { env: "SWITCHYARD_PORT", path: ["server", "port"], numeric: true },
  { env: "SWITCHYARD_BODY_LIMIT_BYTES", path: ["server", "body_limit_bytes"], numeric: true },
  { env: "SWITCHYARD_REQUEST_TIMEOUT_MS", path: ["server", "request_timeout_ms"], numeric: true },
  { env: "SWITCHYARD_HEADERS_TIMEOUT_MS", path: ["server", "headers_timeout_ms"], numeric: true },
  { env: "SWITCHYARD_MAX_CONNECTIONS", path: ["server", "max_connections"], numeric: true },
  { env: "SWITCHYARD_LOG_LEVEL", path: ["log", "level"], numeric: false },
  { env: "DATABASE_URL", path: ["route_store", "database_url"], numeric: false },
  { env: "SWITCHYARD_MOCK_PORT", path: ["mock_upstream", "port"], numeric: true },
  { env: "REDIS_URL", path: ["prompt_cache", "redis_url"], numeric: false },
];

/**
 * Returns a copy of `raw` with the overrides applied, and which variable set
 * which path (so a bad value is reported against both). Numeric variables that
 * do not parse are passed on as strings for the validator to reject.
 */
export function applyEnvOverrides(
  raw: unknown,
  env: NodeJS.ProcessEnv,
): { raw: unknown; sources: Map<string, string> } {
  const sources = new Map<string, string>();
  if (!isObj(raw)) return { raw, sources };
  const out: Obj = { ...raw };
  for (const { env: name, path, numeric } of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    const [section, field] = path;
    const current = out[section];
    const copy: Obj = isObj(current) ? { ...current } : {};
    copy[field] = numeric && /^\d+$/.test(value.trim()) ? Number(value) : value;
    out[section] = copy;
    sources.set(`${section}.${field}`, name);
  }
  return { raw: out, sources };
}
