import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { type Child, type Children, childEnv, freePort, waitReady } from "../gateway/children.js";
import { API_KEY, gatewayConfig, KEY_ENV } from "../gateway/config.js";
import { buildGateway, GATEWAY_APP_DIR, GATEWAY_MAIN } from "../gateway/targets.js";

/** The model every one-word request asks for; a window far above any of the bodies. */
export const WORD_MODEL = "one-word";
/** Where the token route sends it: the same window, so the request is served (200). */
const ROUTED_MODEL = "one-word-routed";
const MIB = 1024 * 1024;
const LOOP_MONITOR = fileURLToPath(new URL("./loop-monitor.ts", import.meta.url));

const CONSONANTS = Buffer.from("bdfhklmnprstvwz");
const VOWELS = Buffer.from("aeiou");

/**
 * An OpenAI body whose one user message is one word of `mib` MiB: seeded
 * random consonant-vowel syllables with no break (no two tokenizer pieces
 * alike, so gpt-tokenizer's merge cache never helps: the worst case for BPE).
 * As in the gateway benchmark's prompts (prompts.ts), no two vowels or two
 * consonants are adjacent and c, g, q, x, y never occur, so no keyword of the
 * benchmark's routes (`sql`, `legal`, `poem`, ...) can occur in it.
 */
export function oneWordBody(mib: number, seed: number): Buffer {
  const letters = Buffer.allocUnsafe(Math.round(mib * MIB));
  let s = seed >>> 0;
  for (let i = 0; i < letters.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const pick = s >>> 16;
    letters[i] =
      i % 2 === 0
        ? (CONSONANTS[pick % CONSONANTS.length] as number)
        : (VOWELS[pick % VOWELS.length] as number);
  }
  return Buffer.concat([
    Buffer.from(`{"model":"${WORD_MODEL}","messages":[{"role":"user","content":"`),
    letters,
    Buffer.from('"}],"max_tokens":16}'),
  ]);
}

/**
 * The gateway benchmark's config (its 12-model catalog and its org with 100
 * seeded routes: keyword, tag, token and cost conditions; the ~20% without a
 * model list are evaluated against this prompt too), changed to run the
 * embedded mock in-process (as the demo does), with a body limit above the
 * largest body, two models with a window far above any prompt, and one
 * lowest-priority route with `input_tokens_gt` that only the count can decide:
 * every request is tokenized by the gateway (routing), then by the mock (usage).
 * With `keywords: false`, the routes lose their keyword conditions (a control:
 * the same request without the keyword search over the whole prompt).
 */
function oneWordConfig(port: number, keywords: boolean): Record<string, unknown> {
  const base = gatewayConfig({
    port,
    mockUrl: "unused",
    routes: 100,
    caches: false,
    tokenConditions: true,
  }) as {
    models: Record<string, unknown>;
    orgs: [{ routes: { when: Record<string, unknown> }[] }];
  };
  const model = {
    provider: "mock",
    upstream_model: "gpt-4o",
    input_price_per_million: 2.5,
    output_price_per_million: 10,
    capabilities: { vision: true, tools: true, json_mode: true },
    context_window: 100_000_000,
  };
  const [org] = base.orgs;
  return {
    ...base,
    server: { host: "127.0.0.1", port, body_limit_bytes: 12 * MIB },
    mock_upstream: { enabled: true },
    // The mock answers only once it has counted the prompt.
    upstream: { headers_timeout_ms: 600_000, body_timeout_ms: 600_000 },
    providers: { mock: { kind: "openai", base_url: "mock" } },
    models: { ...base.models, [WORD_MODEL]: model, [ROUTED_MODEL]: model },
    orgs: [
      {
        ...org,
        routes: [
          ...(keywords ? org.routes : org.routes.map(withoutKeywords)),
          {
            name: "long-prompts",
            priority: 0,
            when: { model_in: [WORD_MODEL], input_tokens_gt: 100_000 },
            then: { target_model: ROUTED_MODEL },
          },
        ],
      },
    ],
  };
}

/** The route without its `prompt_contains_any_of`, and never matching (a tag no request sends). */
function withoutKeywords(route: { when: Record<string, unknown> }): unknown {
  const { prompt_contains_any_of: keywords, ...when } = route.when;
  return keywords === undefined ? route : { ...route, when: { ...when, tag_equals: "never-sent" } };
}

/**
 * loop-monitor.ts as plain JavaScript in `workDir` (it imports only Node's own
 * modules), so the gateway's process preloads it with no TypeScript loader.
 */
function loopMonitorScript(workDir: string): string {
  const { outputText } = ts.transpileModule(readFileSync(LOOP_MONITOR, "utf8"), {
    fileName: LOOP_MONITOR,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const path = join(workDir, "loop-monitor.mjs");
  writeFileSync(path, outputText);
  return path;
}

export interface OneWordGateway {
  readonly child: Child;
  readonly origin: string;
  /** The loop monitor inside the gateway's process (loop-monitor.ts). */
  readonly monitor: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The gateway as `pnpm start` runs it (the build), with loop-monitor.ts preloaded into its process. */
export async function startOneWordGateway(
  children: Children,
  workDir: string,
  options: { readonly keywords: boolean },
): Promise<OneWordGateway> {
  buildGateway();
  const name = options.keywords ? "gateway-one-word" : "gateway-one-word-no-keywords";
  const port = await freePort();
  const monitorPort = await freePort();
  const configPath = join(workDir, `${name}.json`);
  writeFileSync(configPath, `${JSON.stringify(oneWordConfig(port, options.keywords), null, 2)}\n`);
  const child = children.spawn(
    name,
    ["--import", loopMonitorScript(workDir), GATEWAY_MAIN, "--config", configPath],
    {
      cwd: GATEWAY_APP_DIR,
      env: childEnv({ [KEY_ENV]: API_KEY, SWITCHYARD_BENCH_LOOP_PORT: String(monitorPort) }),
    },
  );
  const origin = `http://127.0.0.1:${port}`;
  await waitReady(child, `${origin}/healthz`);
  return {
    child,
    origin,
    monitor: `http://127.0.0.1:${monitorPort}`,
    headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
  };
}
