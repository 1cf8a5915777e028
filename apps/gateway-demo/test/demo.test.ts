import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { childEnv, type SpawnedGateway, spawnGateway } from "./helpers/spawn-gateway.js";

const exec = promisify(execFile);
let demo: SpawnedGateway;

beforeAll(async () => {
  // The README's demo: no config file, no DATABASE_URL -> embedded default (memory store + mock upstream).
  demo = await spawnGateway([], childEnv({ SWITCHYARD_PORT: "0", SWITCHYARD_LOG_LEVEL: "warn" }));
}, 30_000);
afterAll(() => demo?.stop());

const curlLines = () =>
  demo
    .output()
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("curl "));

/** Runs a printed curl line through a shell when curl exists, else replays it with fetch. */
async function run(line: string): Promise<{ status: number; headers: string; body: string }> {
  const withStatus = `${line.replace(/^curl -si? /, "curl -s -D - ")}`;
  try {
    const { stdout } = await exec("sh", ["-c", withStatus], { timeout: 10_000 });
    const split = stdout.indexOf("\r\n\r\n");
    const head = stdout.slice(0, split);
    return {
      status: Number(head.split(" ")[1]),
      headers: head.toLowerCase(),
      body: stdout.slice(split + 4),
    };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 127) throw error;
    return replay(line); // no curl on this machine
  }
}

async function replay(line: string) {
  const url = /curl -si? (\S+)/.exec(line)?.[1] as string;
  const headers: Record<string, string> = {};
  for (const [, name, value] of line.matchAll(/-H '([^:]+): ([^']*)'/g))
    headers[name as string] = value as string;
  const data = /-d '([^']*)'/.exec(line)?.[1];
  const response = await fetch(url, {
    method: data ? "POST" : "GET",
    headers,
    ...(data ? { body: data } : {}),
  });
  const head = [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  return { status: response.status, headers: head, body: await response.text() };
}

describe("the demo command (embedded default)", () => {
  it("prints the URL, the demo key and curl lines", () => {
    expect(demo.output()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(demo.output()).toContain("demo API key: sy-demo-key");
    expect(curlLines().length).toBeGreaterThanOrEqual(8);
    expect(demo.output()).toMatch(/dashboard: http:\/\/127\.0\.0\.1:\d+\/dashboard /);
  });

  it("the README's sample banner is what it prints, down to the first curl line", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const sample = /```text\n(Switchyard gateway listening on [\s\S]*?)\n\nMore:/.exec(readme)?.[1];
    const printed = /(Switchyard gateway listening on [\s\S]*?)\n\nMore:/.exec(demo.output())?.[1];
    const ports = (text: string | undefined) =>
      text?.replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT");
    expect(sample).toBeDefined();
    expect(ports(sample)).toBe(ports(printed));
  });

  it("the printed curl line works: a routed chat completion", async () => {
    const reply = await run(curlLines()[0] as string);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).choices[0].message.content).toContain(
      "Mock reply from gpt-4o-mini",
    );
    expect(reply.headers).toContain("x-switchyard-route: short-gpt-4o-to-mini");
  });

  it("the other printed lines show a keyword route, fallbacks, a 402 and the route list", async () => {
    const [, keyword, fallback, ceiling, list] = curlLines() as [
      string,
      string,
      string,
      string,
      string,
    ];
    const k = await run(keyword);
    expect(k.headers).toContain("x-switchyard-route: code-questions-to-sonnet");
    expect(k.headers).toContain("x-switchyard-model-used: claude-sonnet-4-5");
    const f = await run(fallback);
    expect(f.status).toBe(200);
    expect(f.headers).toContain("x-switchyard-model-used: gpt-4o-mini");
    const c = await run(ceiling);
    expect(c.status).toBe(402);
    expect(JSON.parse(c.body).error.type).toBe("billing_error");
    const l = await run(list);
    expect(JSON.parse(l.body).data.map((r: { name: string }) => r.name)).toEqual([
      "code-questions-to-sonnet",
      "short-gpt-4o-to-mini",
      "flaky-with-fallbacks",
      "opus-budget",
    ]);
  });

  it("the part-2 lines show prompt-cache accounting, the response cache and /metrics", async () => {
    const [promptCache, responseCache, metrics] = curlLines().slice(5) as [string, string, string];
    const first = await run(promptCache);
    expect(first.status).toBe(200);
    const written = JSON.parse(first.body).usage.cache_creation_input_tokens;
    expect(written).toBeGreaterThan(0);
    expect(first.headers).toMatch(/x-switchyard-cost-usd: 0\.\d+/);
    // The commit runs after the response; the second run reads what the first wrote.
    let read = 0;
    for (let i = 0; i < 50 && read === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      read = JSON.parse((await run(promptCache)).body).usage.cache_read_input_tokens;
    }
    expect(read).toBe(written);

    const miss = await run(responseCache);
    const hit = await run(responseCache);
    expect(miss.headers).toContain("x-switchyard-cache: miss");
    expect(hit.headers).toContain("x-switchyard-cache: hit");
    expect(hit.body).toBe(miss.body);

    const m = await run(metrics);
    expect(m.status).toBe(200);
    expect(m.body).toContain('switchyard_response_cache_requests_total{result="hit"} 1');
    expect(m.body).toMatch(
      /switchyard_prompt_cache_read_tokens_total\{model="claude-haiku-4-5"\} \d+/,
    );
  });

  it("hash-key prints the SHA-256 to put in a config file", async () => {
    const { stdout } = await exec(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "src/main.ts", "hash-key", "sy-demo-key"],
      {
        cwd: new URL("..", import.meta.url).pathname,
        timeout: 15_000,
      },
    );
    expect(stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it("SIGTERM shuts it down cleanly (exit 0)", async () => {
    expect(await demo.stop()).toBe(0);
  });
});
