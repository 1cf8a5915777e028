import { CHUNK_DELAY_MS } from "./config.js";
import type { Results } from "./run-all.js";
import type { Settings } from "./settings.js";

/** The report's description of what was measured and how. */
export function method(r: Results, s: Settings, cpu: string): string[] {
  return [
    "Every path ends at the same mock upstream (the gateway's own `src/mock/`, started as its own",
    "process); each gateway is a separate child process on 127.0.0.1, and this process is the load",
    "generator (undici `Client`/`Pool`, keep-alive):",
    "",
    "- **direct**: straight to the mock;",
    "- **Switchyard**: `apps/gateway-demo` as `pnpm start` runs it (the build: `node dist/main.js",
    "  --config <file>`), defaults of the embedded config (memory route store, `info` access",
    "  log, metrics on), the mock as an OpenAI provider, a 13-model catalog and one org with 100 seeded",
    "  routes (priorities with ties, ~5% disabled, model lists, tags, keywords, token and cost bounds).",
    "  No route matches a benchmark request, so the whole set is evaluated every time and the body is",
    "  forwarded unchanged. A second instance (**routes without token/cost bounds**) has the same",
    "  routes minus their token and cost bounds, so it never tokenizes the prompt;",
    "- **floor**: `floor-proxy.ts`, the least a `node:http` + undici gateway does (read the body, parse",
    "  it, forward the same bytes over a keep-alive pool, answer with a content-length or pass the",
    "  stream through; no auth, routing, logs or metrics): what this machine charges any gateway of",
    "  this design;",
    `- **Portkey** \`@portkey-ai/gateway\` ${r.portkeyVersion} (\`build/start-server.js --headless\`), with`,
    "  `x-portkey-provider: openai` and `x-portkey-custom-host` pointing at the mock.",
    "",
    `Bodies are identical on every path (OpenAI Chat Completions, seeded pseudo-text, \`max_tokens: 200\`).`,
    `One at a time: ${s.small.rounds} alternating rounds of ${s.small.perRound} requests (large prompt:`,
    `${s.large.perRound}; streams: ${s.stream.perRound}) per path, each path on its own keep-alive`,
    "connection; p50/p99 per round, *added* = path minus direct in the same round; the table shows",
    "medians over rounds. Streams: the mock sends each content chunk",
    `${CHUNK_DELAY_MS} ms after the previous one; TTFT is the time to the first content event, the gap`,
    "is measured between content events. Throughput: closed loop with one request in flight per",
    `connection, ${s.load.rounds} alternating rounds of ${s.load.durationMs / 1000} s per path after a warm-up;`,
    "medians over rounds. CPU µs/req: user + system time of the path's own process",
    "(`/proc/<pid>/stat`; for direct, the mock) over the round, per completed request; the mock,",
    `the gateway and the load generator share the machine's ${cpu}, so a gateway's req/s also`,
    "depends on what the mock and the load generator leave it. Response cache hit: the same small",
    "prompt with `temperature: 0` (cacheable), every request after the first a hit. Prefix-cache",
    "accounting: a catalog model with a `cache_tariff`, the body with a top-level `cache_control`",
    "marker (the direct path gets the body the gateway forwards, without it).",
  ];
}
