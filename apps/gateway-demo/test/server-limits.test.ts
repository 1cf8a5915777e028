import { mkdtempSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/config-error.js";
import { DEFAULTS } from "../src/config/defaults.js";
import { loadConfig } from "../src/config/load-config.js";
import { validateConfig } from "../src/config/validate-config.js";
import { hashApiKey } from "../src/hashing/api-key-hash.js";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call, chat } from "./helpers/http.js";
import { parsePrometheus } from "./helpers/prometheus.js";

// Issue 14.9 (first half): request and header timeouts and a cap on connections, configurable.
// (A trickled body held a request for 300 s, node's default request timeout.)

const base = () => ({
  providers: { oa: { kind: "openai", base_url: "https://api.example.com/v1" } },
  models: { m: { provider: "oa" } },
  orgs: [{ id: "01900000-0000-7000-8000-000000000001", api_keys: [{ sha256: hashApiKey("k") }] }],
});

function issuesOf(server: unknown, env: NodeJS.ProcessEnv = {}): string {
  try {
    validateConfig({ ...base(), server }, { source: "test", env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`).join("\n");
  }
  return "";
}

describe("server limits: configuration", () => {
  it("defaults: a request timeout shorter than node's 300 s, a headers timeout, a connection cap", () => {
    const { server } = validateConfig(base(), { source: "test", env: {} });
    expect(server).toEqual(DEFAULTS.server);
    expect(server.requestTimeoutMs).toBe(60_000);
    expect(server.headersTimeoutMs).toBe(10_000);
    expect(server.maxConnections).toBe(10_000);
  });

  it("reads the three fields", () => {
    const { server } = validateConfig(
      {
        ...base(),
        server: { request_timeout_ms: 5_000, headers_timeout_ms: 2_000, max_connections: 7 },
      },
      { source: "test", env: {} },
    );
    expect(server).toMatchObject({
      requestTimeoutMs: 5_000,
      headersTimeoutMs: 2_000,
      maxConnections: 7,
    });
  });

  const bad: Array<[string, unknown, string]> = [
    [
      "a request timeout of 0",
      { request_timeout_ms: 0 },
      "server.request_timeout_ms: must be an integer between 100 and 86400000, got number 0",
    ],
    [
      "a headers timeout as a string",
      { headers_timeout_ms: "10s" },
      'server.headers_timeout_ms: must be an integer between 100 and 86400000, got "10s"',
    ],
    [
      "a fractional connection cap",
      { max_connections: 1.5 },
      "server.max_connections: must be an integer between 1 and 1000000, got number 1.5",
    ],
    [
      "no connections at all",
      { max_connections: 0 },
      "server.max_connections: must be an integer between 1 and 1000000, got number 0",
    ],
    [
      "a headers timeout above the request timeout",
      { request_timeout_ms: 5_000, headers_timeout_ms: 6_000 },
      "server.headers_timeout_ms: must not exceed server.request_timeout_ms (5000); the headers are part of the request",
    ],
    [
      "a typo",
      { request_timeout: 5_000 },
      "server.request_timeout: unknown field; expected one of: host, port, body_limit_bytes, keep_alive_timeout_ms, shutdown_timeout_ms, request_timeout_ms, headers_timeout_ms, max_connections",
    ],
  ];
  for (const [what, server, expected] of bad) {
    it(`${what} is an error naming the field`, () => {
      expect(issuesOf(server)).toContain(expected);
    });
  }

  it("environment overrides, a bad one named with its variable", () => {
    const env = {
      SWITCHYARD_REQUEST_TIMEOUT_MS: "30000",
      SWITCHYARD_HEADERS_TIMEOUT_MS: "5000",
      SWITCHYARD_MAX_CONNECTIONS: "100",
    };
    const loaded = loadConfig([], { ...env, SWITCHYARD_CONFIG: writeBase() });
    expect(loaded.config.server).toMatchObject({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 5_000,
      maxConnections: 100,
    });
    expect(() =>
      loadConfig([], { SWITCHYARD_CONFIG: writeBase(), SWITCHYARD_MAX_CONNECTIONS: "lots" }),
    ).toThrow(/server\.max_connections: .*\(set by SWITCHYARD_MAX_CONNECTIONS\)/);
  });
});

describe("server limits: slow clients are cut off", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      server: { port: 0, request_timeout_ms: 400, headers_timeout_ms: 200 },
    });
  });
  afterAll(() => h?.close());

  it("a trickled body is cut off after server.request_timeout_ms: 408 and the connection closed", async () => {
    const socket = await open(h.url);
    const body = JSON.stringify(chat("gpt-a", "x".repeat(200)));
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${KEY_A}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
    const reply = trickle(socket, body.slice(0, -1)); // never the last byte
    const text = await reply;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(h.mock.count()).toBe(0);
    // Logged and counted as the 408 it was, not as the 200 the unanswered response defaulted to.
    const metrics = parsePrometheus((await call(`${h.url}/metrics`, "GET")).text);
    const completions = { endpoint: "/v1/chat/completions" };
    expect(metrics.value("switchyard_requests_total", { ...completions, status: "408" })).toBe(1);
    expect(metrics.value("switchyard_requests_total", { ...completions, status: "200" })).toBe(0);
  });

  it("a client sending its headers slowly is cut off after server.headers_timeout_ms", async () => {
    const socket = await open(h.url);
    socket.write("GET /healthz HTTP/1.1\r\nhost: x\r\n");
    const text = await trickle(socket, "x-slow: y\r\n".repeat(1_000));
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("a streamed response longer than the request timeout is not cut (the timeout covers receiving the request)", async () => {
    const reply = await call(
      `${h.url}/v1/chat/completions`,
      "POST",
      chat("slow-stream", "a b c d e f g h", { stream: true }),
      bearer(KEY_A),
    );
    expect(reply.status).toBe(200);
    expect(reply.text).toContain("data: [DONE]");
    expect(reply.text).not.toContain('"error"');
  });
});

describe("server limits: max_connections", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ server: { port: 0, max_connections: 2 } });
  });
  afterAll(() => h?.close());

  it("connections beyond the cap are refused while the open ones are served", async () => {
    const first = await open(h.url);
    const second = await open(h.url);
    expect(await get(first, "/healthz")).toMatch(/^HTTP\/1\.1 200 /);
    expect(await get(second, "/healthz")).toMatch(/^HTTP\/1\.1 200 /);

    const third = await open(h.url);
    const refused = await get(third, "/healthz");
    expect(refused).toBe(""); // closed without an answer
    expect(third.destroyed || third.readableEnded).toBe(true);

    expect(await get(first, "/readyz")).toMatch(/^HTTP\/1\.1 200 /); // keep-alive still served
    second.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the server see the close
    const fourth = await open(h.url);
    expect(await get(fourth, "/healthz")).toMatch(/^HTTP\/1\.1 200 /);
    first.destroy();
    fourth.destroy();
  });
});

function writeBase(): string {
  const file = join(mkdtempSync(join(tmpdir(), "sy-limits-")), "gateway.json");
  writeFileSync(file, JSON.stringify(base()));
  return file;
}

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Writes `data` one byte every 20 ms until the server closes; resolves with what it answered. */
function trickle(socket: Socket, data: string): Promise<string> {
  let received = "";
  socket.on("data", (chunk) => {
    received += chunk.toString();
  });
  socket.on("error", () => undefined);
  return new Promise((resolve) => {
    let i = 0;
    const timer = setInterval(() => {
      if (i < data.length && socket.writable) socket.write(data[i++] as string);
    }, 20);
    socket.once("close", () => {
      clearInterval(timer);
      resolve(received);
    });
  });
}

/** One keep-alive GET; resolves with the response head, or "" when the server closed instead. */
function get(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve) => {
    let received = "";
    const onData = (chunk: Buffer) => {
      received += chunk.toString();
      const end = received.indexOf("\r\n\r\n");
      const length = /content-length: (\d+)/i.exec(received)?.[1];
      if (end >= 0 && length !== undefined && received.length >= end + 4 + Number(length)) done();
    };
    const done = () => {
      socket.off("data", onData);
      socket.off("close", done);
      resolve(received);
    };
    socket.on("data", onData);
    socket.once("close", done);
    socket.on("error", () => undefined);
    if (socket.writable) socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`);
    else done();
  });
}
