/**
 * A quick local loop for the gateway's added latency (issue 9 benchmarks it
 * properly, against Portkey). The mock upstream and the gateway each run in
 * a child process; this process is the client: one request at a time over a
 * keep-alive connection, direct-to-mock and through the gateway interleaved
 * in blocks, and the same for the time to the first streamed byte.
 *
 *   node --conditions=source --import tsx scripts/added-latency.ts [--app <dir>] [--compare <dir>]
 *     [--requests N] [--model gpt-t] [--extra '<config JSON>'] [--cpu-prof <dir>]
 *
 * `--app` runs another copy of the app (e.g. an older commit); `--compare`
 * runs a second copy in the same loop, block by block against the first (a
 * fair before/after on a busy machine); `--model gpt-t` measures a model
 * with a cache tariff; `--extra` merges top-level config sections (e.g.
 * '{"metrics":{"enabled":false}}'), `--compare-extra` those of the second copy.
 */
import { type ChildProcess, fork } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";

const SELF = fileURLToPath(import.meta.url);
const ORG = "01900000-0000-7000-8000-00000000000a";
const KEY = "sk-latency";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

const role = arg("role", "client");
const appDir = resolve(arg("app", resolve(SELF, "..", "..")));

async function serveMock(): Promise<void> {
  const { MockUpstream } = await import(`${appDir}/src/mock/mock-upstream.ts`);
  const mock = await MockUpstream.start();
  process.send?.({ url: mock.url });
}

async function serveGateway(
  mockUrl: string,
  extended: boolean,
  extra: Record<string, unknown>,
): Promise<void> {
  const { validateConfig } = await import(`${appDir}/src/config/validate-config.ts`);
  const { startGateway } = await import(`${appDir}/src/gateway.ts`);
  const { hashApiKey } = await import(`${appDir}/src/auth/api-keys.ts`);
  const pino = (await import("pino")).default;
  const model = (extra: Record<string, unknown> = {}) => ({
    provider: "oa",
    input_price_per_million: 1,
    output_price_per_million: 2,
    capabilities: { vision: true, tools: true, json_mode: true },
    context_window: 100_000,
    ...extra,
  });
  const raw = {
    ...extra,
    server: { port: 0 },
    providers: { oa: { kind: "openai", base_url: `${mockUrl}/v1` } },
    models: {
      "gpt-a": model(),
      "gpt-b": model(),
      ...(extended ? { "gpt-t": model({ cache_tariff: {} }) } : {}),
    },
    orgs: [
      {
        id: ORG,
        api_keys: [{ sha256: hashApiKey(KEY) }],
        // Two routes that do not match the measured request: evaluated every time.
        routes: [
          { name: "b-to-a", when: { model_in: ["gpt-b"] }, then: { target_model: "gpt-a" } },
          {
            name: "keyword",
            when: { prompt_contains_any_of: ["typescript"] },
            then: { target_model: "gpt-b" },
          },
        ],
      },
    ],
  };
  const config = validateConfig(raw, { source: "latency", env: {} });
  const gateway = await startGateway(config, { logger: pino({ level: "silent" }) });
  process.on("SIGINT", () => process.exit(0)); // lets --cpu-prof write its profile
  process.send?.({ url: gateway.url });
}

function child(
  args: string[],
  extraExecArgv: string[] = [],
): Promise<{ proc: ChildProcess; url: string }> {
  const proc = fork(SELF, args, {
    execArgv: ["--conditions=source", "--import", "tsx", ...extraExecArgv],
  });
  return new Promise((resolvePromise, reject) => {
    proc.once("message", (m) => resolvePromise({ proc, url: (m as { url: string }).url }));
    proc.once("exit", (code) => reject(new Error(`child exited with ${code}`)));
  });
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function client(): Promise<void> {
  const requests = Number(arg("requests", "4000"));
  const modelName = arg("model", "gpt-a");
  const mock = await child(["--role", "mock", "--app", appDir]);
  const gatewayArgs = (dir: string, extra: string) => [
    "--role",
    "gateway",
    "--app",
    dir,
    "--mock",
    mock.url,
    ...(modelName === "gpt-t" ? ["--extended"] : []),
    "--extra",
    extra,
  ];
  const profile = process.argv.includes("--cpu-prof")
    ? ["--cpu-prof", "--cpu-prof-interval=100", `--cpu-prof-dir=${arg("cpu-prof", ".")}`]
    : [];
  // The gateway under test, and optionally another copy measured in the same
  // run, block by block (the fairest before/after on a busy machine).
  const apps = [appDir];
  if (process.argv.includes("--compare")) apps.push(resolve(arg("compare", appDir)));
  const extras = [arg("extra", "{}"), arg("compare-extra", arg("extra", "{}"))];
  const gateways = await Promise.all(
    apps.map((dir, i) => child(gatewayArgs(dir, extras[i] as string), profile)),
  );
  const direct = new Pool(mock.url, { connections: 1 });
  const pools = gateways.map((gw) => new Pool(gw.url, { connections: 1 }));
  const headers = { "content-type": "application/json", authorization: `Bearer ${KEY}` };
  const body = (stream: boolean) =>
    JSON.stringify({
      model: modelName,
      messages: [
        { role: "system", content: "You are a terse assistant." },
        { role: "user", content: "Give me one short sentence about latency." },
      ],
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    });
  const plain = body(false);
  const streamed = body(true);

  async function once(pool: Pool, stream: boolean): Promise<number> {
    const started = process.hrtime.bigint();
    const res = await pool.request({
      method: "POST",
      path: "/v1/chat/completions",
      headers,
      body: stream ? streamed : plain,
    });
    let first = 0n;
    for await (const _chunk of res.body) {
      if (first === 0n) first = process.hrtime.bigint();
    }
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    const end = stream ? first : process.hrtime.bigint();
    return Number(end - started) / 1e6;
  }

  async function measure(stream: boolean): Promise<{ direct: number[]; gateways: number[][] }> {
    const out = { direct: [] as number[], gateways: pools.map(() => [] as number[]) };
    for (let i = 0; i < 500; i++) {
      await once(direct, stream);
      for (const pool of pools) await once(pool, stream);
    }
    const block = 100;
    for (let done = 0; done < requests; done += block) {
      for (let i = 0; i < block; i++) out.direct.push(await once(direct, stream));
      for (let g = 0; g < pools.length; g++) {
        const series = out.gateways[g] as number[];
        for (let i = 0; i < block; i++) series.push(await once(pools[g] as Pool, stream));
      }
    }
    return out;
  }

  const fmt = (n: number) => n.toFixed(3);
  const report = (label: string, r: { direct: number[]; gateways: number[][] }) => {
    const d = [...r.direct].sort((a, b) => a - b);
    console.log(`${label}: direct p50 ${fmt(quantile(d, 0.5))} p99 ${fmt(quantile(d, 0.99))}`);
    r.gateways.forEach((series, i) => {
      const g = [...series].sort((a, b) => a - b);
      console.log(
        `  ${apps[i]}: gateway p50 ${fmt(quantile(g, 0.5))} p99 ${fmt(quantile(g, 0.99))} | added p50 ${fmt(quantile(g, 0.5) - quantile(d, 0.5))} p99 ${fmt(quantile(g, 0.99) - quantile(d, 0.99))} ms`,
      );
    });
  };
  console.log(`model ${modelName}; ${requests} requests per series`);
  report("non-streamed total", await measure(false));
  report("streamed TTFT", await measure(true));
  await direct.close();
  for (const pool of pools) await pool.close();
  for (const gw of gateways) {
    const exited = new Promise((r) => gw.proc.once("exit", r));
    gw.proc.kill("SIGINT");
    await exited;
  }
  mock.proc.kill("SIGKILL");
}

if (role === "mock") await serveMock();
else if (role === "gateway") {
  await serveGateway(
    arg("mock", ""),
    process.argv.includes("--extended"),
    JSON.parse(arg("extra", "{}")),
  );
} else await client();
