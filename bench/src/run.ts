import type { Scenario } from "./lib/scenario.js";

/** One entry per scenario; each lives in its own file under `scenarios/`. */
const scenarios: Readonly<Record<string, Scenario>> = {
  "store-postgres": {
    description:
      "listForOrg p50/p99 for an org with 100 routes: Postgres store vs the raw SELECT vs the memory store",
    load: () => import("./scenarios/store-postgres.js"),
  },
  "cache-l1": {
    description:
      "L1Cache hits, stampedes, memory, hit ratio and soak vs Map, lru-cache, bentocache and async-cache-dedupe",
    load: () => import("./scenarios/cache-l1.js"),
  },
  "prefix-index": {
    description:
      "Prompt-prefix accounting per request (40 turns, ~60k tokens, 4 breakpoints): parse + hash + candidates, classification with memory and Postgres indexes",
    load: () => import("./scenarios/prefix-index.js"),
  },
  "prefix-index-redis": {
    description:
      "Redis accelerator vs the Postgres prefix index: lookup p50/p99 and throughput, baseline queries in steady state, write-behind refresh load",
    load: () => import("./scenarios/prefix-index-redis.js"),
  },
  gateway: {
    description:
      "Gateway on loopback vs direct-to-mock and Portkey: added latency (small/large prompts), throughput at 8/32/64 connections with CPU/request, streaming TTFT and chunk gaps, cache hit, prefix accounting; --profile adds CPU profiles",
    load: () => import("./scenarios/gateway.js"),
  },
  "gateway-one-word": {
    description:
      "Gateway with one word of 1, 5 and 10 MiB in the prompt: longest event-loop block in the gateway's process vs JSON.parse of the body, /healthz latency meanwhile",
    load: () => import("./scenarios/gateway-one-word.js"),
  },
  routing: {
    description:
      "RoutingEngine decisions/s at 10/100/1,000 routes vs a hand-written function and json-rules-engine",
    load: () => import("./scenarios/routing.js"),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(scenarios).map((name) => name.length));
  const lines = Object.entries(scenarios).map(
    ([name, s]) => `  ${name.padEnd(width)}  ${s.description}`,
  );
  return [
    "usage: pnpm bench <scenario> [--quick]",
    "",
    "scenarios:",
    ...lines,
    "",
    "--quick: short time budget, for a smoke test; the results file is not written.",
  ].join("\n");
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    console.log(usage());
    return 0;
  }
  const scenario = Object.hasOwn(scenarios, name) ? scenarios[name] : undefined;
  if (scenario === undefined) {
    console.error(`unknown scenario: ${name}\n`);
    console.error(usage());
    return 2;
  }
  const module = await scenario.load();
  await module.run(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
