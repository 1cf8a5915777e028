import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ConfigError } from "./config-error.js";
import { demoConfig } from "./demo-config.js";
import { applyEnvOverrides } from "./env-overrides.js";
import type { GatewayConfig } from "./types.js";
import { validateConfig } from "./validate-config.js";

export interface LoadedConfig {
  readonly config: GatewayConfig;
  /** The file it came from, or `embedded default`. */
  readonly source: string;
  /** Set for the embedded default: the demo key to print (it exists only in this process). */
  readonly demoKey: string | undefined;
}

/** The `--config <path>` / `--config=<path>` argument, else `SWITCHYARD_CONFIG`. */
function configPath(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--config") return argv[i + 1];
    if (arg.startsWith("--config=")) return arg.slice("--config=".length);
  }
  return env.SWITCHYARD_CONFIG || undefined;
}

/** Reads, overrides and validates the configuration; the embedded demo default when no file is named. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): LoadedConfig {
  const path = configPath(argv, env);
  let raw: unknown;
  let source: string;
  let demoKey: string | undefined;
  if (path === undefined) {
    const demo = demoConfig(env);
    raw = demo.raw;
    demoKey = demo.apiKey;
    source = "embedded default";
  } else {
    source = resolve(path);
    raw = readJsonFile(source);
  }
  const overridden = applyEnvOverrides(raw, env);
  const config = validateConfig(overridden.raw, { source, env, sources: overridden.sources });
  return { config, source, demoKey };
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError([{ path: "(file)", message: `cannot read ${path}: ${reason}` }], path);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      [{ path: "(file)", message: `not valid JSON: ${(error as Error).message}` }],
      path,
    );
  }
}
