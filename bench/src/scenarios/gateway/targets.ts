import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Child, type Children, childEnv, freePort, waitReady } from "./children.js";
import { API_KEY, gatewayConfig, KEY_ENV } from "./config.js";

export const GATEWAY_APP_DIR = fileURLToPath(
  new URL("../../../../apps/gateway-demo", import.meta.url),
);
const BENCH_DIR = fileURLToPath(new URL("../../..", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../..", import.meta.url));
const MOCK_LAUNCHER = fileURLToPath(new URL("./mock-launcher.ts", import.meta.url));
const FLOOR_PROXY = fileURLToPath(new URL("./floor-proxy.ts", import.meta.url));
/** The gateway as its `start` script runs it: `node dist/main.js` in GATEWAY_APP_DIR (see buildGateway). */
export const GATEWAY_MAIN = "dist/main.js";
/** The bench's own helper processes (mock launcher, floor proxy): TypeScript sources through tsx. */
const TSX = ["--conditions=source", "--import", "tsx"];

let gatewayBuilt = false;

/**
 * Builds the gateway and the workspace packages it imports, as its `prestart`
 * does (turbo: a cache hit when nothing changed), once per bench run, so the
 * benchmark never measures a missing or stale build. Turbo's output goes to stderr.
 */
export function buildGateway(): void {
  if (gatewayBuilt) return;
  const turbo = createRequire(join(REPO_ROOT, "package.json")).resolve("turbo");
  execFileSync(
    process.execPath,
    [turbo, "run", "build", "--filter", "@switchyard/gateway-demo...", "--output-logs=errors-only"],
    { cwd: REPO_ROOT, stdio: ["ignore", 2, 2] },
  );
  gatewayBuilt = true;
}

/**
 * `ours-lean`: our gateway with the same routes minus their token and cost conditions;
 * `floor`: the least a node:http + undici gateway does (floor-proxy.ts).
 */
export type TargetName = "direct" | "ours" | "ours-lean" | "floor" | "portkey";

/** Where a load goes, with the headers that path needs; `pid` is the process whose CPU is read. */
export interface Target {
  readonly name: TargetName;
  readonly label: string;
  readonly origin: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly pid: number;
}

export const LABELS: Readonly<Record<TargetName, string>> = {
  direct: "direct to mock",
  ours: "Switchyard gateway",
  "ours-lean": "Switchyard, routes without token/cost conditions",
  floor: "floor: node:http + undici passthrough",
  portkey: "Portkey gateway",
};

const JSON_HEADERS = { "content-type": "application/json" };

export interface Mock {
  readonly child: Child;
  readonly url: string;
  readonly target: Target;
}

/** The gateway's mock upstream as its own process (mock-launcher.ts). */
export async function startMock(children: Children): Promise<Mock> {
  const port = await freePort();
  const child = children.spawn("mock", [...TSX, MOCK_LAUNCHER, GATEWAY_APP_DIR, String(port)], {
    cwd: BENCH_DIR,
    env: childEnv(),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(child, `${url}/__mock/stats`);
  return {
    child,
    url,
    target: {
      name: "direct",
      label: LABELS.direct,
      origin: url,
      path: "/v1/chat/completions",
      // The mock ignores the key; sent so the request has the same shape as the others.
      headers: { ...JSON_HEADERS, authorization: "Bearer sk-mock" },
      pid: child.pid,
    },
  };
}

export interface GatewayStart {
  readonly name: string;
  readonly target: "ours" | "ours-lean";
  readonly mockUrl: string;
  readonly workDir: string;
  /** The response cache and prompt-cache accounting on (ConfigOptions.caches). */
  readonly caches: boolean;
  readonly tokenConditions: boolean;
  /** With a directory: `--cpu-prof` into it (one file per thread). */
  readonly profileDir?: string | undefined;
}

export interface Ours {
  readonly child: Child;
  readonly target: Target;
  readonly configPath: string;
}

/** Our gateway: `dist/main.js --config <file>`, as `pnpm start` runs it, pointed at the mock. */
export async function startOurs(children: Children, options: GatewayStart): Promise<Ours> {
  buildGateway();
  const port = await freePort();
  const config = gatewayConfig({
    port,
    mockUrl: options.mockUrl,
    routes: 100,
    caches: options.caches,
    tokenConditions: options.tokenConditions,
  });
  const configPath = join(options.workDir, `${options.name}.json`);
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const profile =
    options.profileDir === undefined
      ? []
      : [
          // Default file names (`CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`).
          "--cpu-prof",
          `--cpu-prof-dir=${options.profileDir}`,
          "--cpu-prof-interval=250",
        ];
  const child = children.spawn(options.name, [...profile, GATEWAY_MAIN, "--config", configPath], {
    cwd: GATEWAY_APP_DIR,
    env: childEnv({ [KEY_ENV]: API_KEY }),
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitReady(child, `${origin}/healthz`);
  return {
    child,
    configPath,
    target: {
      name: options.target,
      label: LABELS[options.target],
      origin,
      path: "/v1/chat/completions",
      headers: { ...JSON_HEADERS, authorization: `Bearer ${API_KEY}` },
      pid: child.pid,
    },
  };
}

/** `build/start-server.js` of the installed `@portkey-ai/gateway`, wherever pnpm put it. */
export function portkeyScript(): { script: string; version: string } {
  const require = createRequire(join(BENCH_DIR, "package.json"));
  const manifest = require.resolve("@portkey-ai/gateway/package.json");
  const version = (require(manifest) as { version: string }).version;
  return { script: join(dirname(manifest), "build", "start-server.js"), version };
}

/** Portkey's open-source gateway, headless, routed to the mock by headers. */
export async function startPortkey(
  children: Children,
  mockUrl: string,
): Promise<{ child: Child; target: Target; version: string }> {
  const port = await freePort();
  const { script, version } = portkeyScript();
  const child = children.spawn("portkey", [script, "--headless", `--port=${port}`], {
    cwd: dirname(dirname(script)),
    env: childEnv(),
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitReady(child, `${origin}/`);
  return {
    child,
    version,
    target: {
      name: "portkey",
      label: LABELS.portkey,
      origin,
      path: "/v1/chat/completions",
      headers: {
        ...JSON_HEADERS,
        authorization: "Bearer sk-mock",
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": `${mockUrl}/v1`,
      },
      pid: child.pid,
    },
  };
}

/** The architecture's floor (floor-proxy.ts) in front of the mock. */
export async function startFloor(
  children: Children,
  mockUrl: string,
): Promise<{ child: Child; target: Target }> {
  const port = await freePort();
  const child = children.spawn("floor", [...TSX, FLOOR_PROXY, String(port), mockUrl], {
    cwd: BENCH_DIR,
    env: childEnv(),
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitReady(child, `${origin}/`);
  return {
    child,
    target: {
      name: "floor",
      label: LABELS.floor,
      origin,
      path: "/v1/chat/completions",
      headers: { ...JSON_HEADERS, authorization: "Bearer sk-mock" },
      pid: child.pid,
    },
  };
}
