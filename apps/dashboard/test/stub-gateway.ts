/*
 * A stand-in for apps/gateway-demo while it does not serve the dashboard
 * yet: a node:http server with the gateway's auth, routes API, explain and
 * models endpoints, a fake completions endpoint, and GET /v1/dashboard/stats
 * — the response and error shapes copied from the gateway's handlers
 * (routes-handler, explain-handler, models-handler, errors/envelope) and
 * built with the same @switchyard/core validation, wire form and routing
 * engine. Everything lives in memory; nothing is dispatched anywhere.
 *
 * The page itself is served exactly as the gateway will serve it: through
 * `serveDashboard` from the built dist/.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  applyRoutePatch,
  type CatalogModel,
  type NewRoute,
  type Route,
  RoutingEngine,
  routeToWire,
  uuidv7,
  type ValidationIssue,
  validateNewRoute,
  validateRoutePatch,
} from "@switchyard/core";
import { DashboardStatsRecorder, serveDashboard } from "../src/server/index.js";

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** A key of the org whose routes the test changes. */
  readonly apiKey: string;
  /** A key of another org (must never see the first org's routes or numbers). */
  readonly otherOrgKey: string;
  close(): Promise<void>;
}

interface Org {
  readonly id: string;
  readonly name: string;
  readonly routes: Route[];
}

/** The gateway's demo catalog (config/demo-config.ts): prices per million tokens. */
const CATALOG = new Map<string, CatalogModel & { provider: string; upstream: string }>([
  ["gpt-4o", model("mock-openai", 2.5, 10, 128_000)],
  ["gpt-4o-mini", model("mock-openai", 0.15, 0.6, 128_000)],
  ["claude-sonnet-4-5", model("mock-anthropic", 3, 15, 200_000)],
  ["claude-haiku-4-5", model("mock-anthropic", 1, 5, 200_000)],
  ["claude-opus-4-1", model("mock-anthropic", 15, 75, 200_000)],
  ["demo-flaky", { ...model("mock-openai", 0.5, 1.5, 16_000), upstream: "demo-flaky~fail=500" }],
]);

function model(provider: string, input: number, output: number, contextWindow: number) {
  return {
    provider,
    upstream: "",
    inputPricePerMillion: input,
    outputPricePerMillion: output,
    contextWindow,
    capabilities: { vision: true, tools: true, json_mode: provider === "mock-openai" },
  };
}

/** The demo org's routes (config/demo-config.ts). */
const DEMO_ROUTES: unknown[] = [
  {
    name: "code-questions-to-sonnet",
    priority: 200,
    when: { prompt_contains_any_of: ["typescript", "python", "stack trace", "bug"] },
    then: { target_model: "claude-sonnet-4-5", fallbacks: ["gpt-4o"] },
  },
  {
    name: "short-gpt-4o-to-mini",
    when: { model_in: ["gpt-4o"], input_tokens_lt: 1000 },
    then: { target_model: "gpt-4o-mini" },
  },
  {
    name: "flaky-with-fallbacks",
    when: { model_in: ["demo-flaky"] },
    then: { target_model: "demo-flaky", fallbacks: ["gpt-4o-mini", "claude-haiku-4-5"] },
  },
  {
    name: "opus-budget",
    when: { model_in: ["claude-opus-4-1"] },
    then: { target_model: "claude-opus-4-1", max_cost_usd: 0.05 },
  },
];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

const invalidRoute = (issues: readonly ValidationIssue[]) =>
  new HttpError(
    400,
    "invalid_request_error",
    "invalid_route",
    `Invalid route: ${issues.map((i) => `${i.path || "(body)"}: ${i.message}`).join("; ")}`,
    issues[0]?.path || null,
  );

const routeNotFound = (id: string) =>
  new HttpError(404, "not_found_error", "route_not_found", `No route with id ${id}.`);

/** catalog/route-models.ts: targets and fallbacks must be catalog models. */
function checkRouteModels(route: NewRoute): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const hint = "; GET /v1/models lists the catalog";
  if (!CATALOG.has(route.then.target_model)) {
    issues.push({
      path: "then.target_model",
      message: `unknown model \`${route.then.target_model}\`${hint}`,
    });
  }
  (route.then.fallbacks ?? []).forEach((name, i) => {
    if (!CATALOG.has(name)) {
      issues.push({ path: `then.fallbacks[${i}]`, message: `unknown model \`${name}\`${hint}` });
    }
  });
  return issues;
}

/** Routes in evaluation order: priority high to low, ties in creation order. */
const inOrder = (routes: readonly Route[]) => new RoutingEngine(routes).routes;

/** A rough token estimate (the gateway uses gpt-tokenizer): ~4 characters per token. */
function estimateTokens(body: Record<string, unknown>): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let tokens = 3;
  for (const message of messages) {
    const content = (message as { content?: unknown })?.content;
    const text = typeof content === "string" ? content : JSON.stringify(content ?? "");
    tokens += 3 + Math.ceil(text.length / 4);
  }
  return tokens;
}

function estimateCost(modelName: unknown, tokens: number, body: Record<string, unknown>) {
  const m = typeof modelName === "string" ? CATALOG.get(modelName) : undefined;
  if (m?.inputPricePerMillion === undefined || m.outputPricePerMillion === undefined) {
    return undefined;
  }
  const maxTokens = typeof body.max_tokens === "number" ? body.max_tokens : 1000;
  return (tokens * m.inputPricePerMillion + maxTokens * m.outputPricePerMillion) / 1e6;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") {
    throw new HttpError(
      400,
      "invalid_request_error",
      "invalid_json",
      "Request body is empty; send a JSON object.",
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(
      400,
      "invalid_request_error",
      "invalid_json",
      `Request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(
      400,
      "invalid_request_error",
      "invalid_json",
      "Request body must be a JSON object.",
    );
  }
  return value as Record<string, unknown>;
}

/** validate-body.ts, the parts routing reads. */
function validateCompletionBody(body: Record<string, unknown>): void {
  if (body.model === undefined || body.model === null) {
    throw new HttpError(
      400,
      "invalid_request_error",
      "missing_required_parameter",
      'Missing required parameter `model`: the model to use, e.g. "gpt-4o-mini".',
      "model",
    );
  }
  if (typeof body.model !== "string" || body.model.trim() === "") {
    throw new HttpError(
      400,
      "invalid_request_error",
      "invalid_type",
      "Invalid value for `model`: expected a non-empty string.",
      "model",
    );
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new HttpError(
      400,
      "invalid_request_error",
      "invalid_value",
      "Invalid value for `messages`: must contain at least one message.",
      "messages",
    );
  }
}

function send(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.setHeader("content-length", Buffer.byteLength(body));
  for (const [name, v] of Object.entries(headers)) res.setHeader(name, v);
  res.end(body);
}

/** A deterministic pseudo-random sequence (mulberry32) for the synthetic history. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface StubOptions {
  /**
   * Records ten minutes of made-up traffic for the first org before the
   * server starts, so the chart has something to show. Default true.
   */
  readonly syntheticHistory?: boolean;
}

export async function startStubGateway(options: StubOptions = {}): Promise<TestServer> {
  const demo: Org = { id: "0190a8b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b", name: "demo", routes: [] };
  const other: Org = { id: "0190a8b2-0000-7e4f-8a1b-000000000002", name: "other-org", routes: [] };
  const keys = new Map<string, Org>([
    ["sy-demo-key", demo],
    ["sy-other-key", other],
  ]);
  for (const raw of DEMO_ROUTES) {
    const result = validateNewRoute(raw, CATALOG);
    if (!result.ok) throw new Error(`bad demo route: ${JSON.stringify(result.issues)}`);
    demo.routes.push({ id: uuidv7(), ...result.value });
  }
  const history = options.syntheticHistory !== false;
  const stats = new DashboardStatsRecorder(history ? { since: Date.now() - 600_000 } : {});
  /** Response-cache keys seen per org, and system prompts seen (prompt-cache prefixes). */
  const seenBodies = new Map<string, Set<string>>();
  const seenPrefixes = new Map<string, Set<string>>();
  if (history) recordHistory(stats, demo);

  function authenticate(req: IncomingMessage): Org {
    const auth = header(req, "authorization");
    const key = auth?.startsWith("Bearer ") ? auth.slice(7).trim() : header(req, "x-api-key");
    const org = key === undefined ? undefined : keys.get(key);
    if (!org) {
      throw new HttpError(
        401,
        "authentication_error",
        "invalid_api_key",
        "Missing or invalid API key: send `Authorization: Bearer <key>` or `x-api-key: <key>`.",
      );
    }
    return org;
  }

  function findRoute(org: Org, id: string): Route {
    const route = org.routes.find((r) => r.id === id);
    if (!route) throw routeNotFound(id);
    return route;
  }

  /** route-stage.ts, simplified: forced or engine route, candidates, the cost ceiling (402). */
  function decide(
    org: Org,
    body: Record<string, unknown>,
    tag: string | undefined,
    forced: string | undefined,
  ) {
    const engine = new RoutingEngine(org.routes);
    const tokens = estimateTokens(body);
    const cost = estimateCost(body.model, tokens, body);
    let route: Route | undefined;
    if (forced !== undefined) {
      route = engine.findByName(forced);
      if (!route) {
        throw new HttpError(
          400,
          "invalid_request_error",
          "unknown_route",
          `unknown route: ${forced}`,
          "x-switchyard-route",
        );
      }
    } else {
      route = engine.evaluate(body, { tag }, tokens, cost);
    }
    const candidates = route
      ? [route.then.target_model, ...(route.then.fallbacks ?? [])]
      : [String(body.model)];
    const ceiling = route?.then.max_cost_usd;
    if (route && ceiling !== undefined) {
      const targetCost = estimateCost(route.then.target_model, tokens, body);
      if (targetCost !== undefined && targetCost > ceiling) {
        throw new HttpError(
          402,
          "billing_error",
          "cost_limit_exceeded",
          `Estimated cost $${targetCost.toFixed(6)} on ${route.then.target_model} exceeds the ceiling $${ceiling} of route "${route.name}" (max_cost_usd); lower max_tokens or shorten the prompt.`,
        );
      }
    }
    return { engine, route, candidates, tokens, cost };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://stub");
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (await serveDashboard(req, res, path)) return;

    if (method === "GET" && path === "/v1/dashboard/stats") {
      const org = authenticate(req);
      send(res, 200, stats.snapshot({ id: org.id, name: org.name }));
      return;
    }
    if (method === "GET" && path === "/v1/models") {
      authenticate(req);
      send(res, 200, {
        object: "list",
        data: [...CATALOG].map(([id, m]) => ({
          id,
          object: "model",
          created: 0,
          owned_by: m.provider,
          capabilities: m.capabilities ?? {},
          context_window: m.contextWindow ?? null,
          pricing: {
            input_per_million_usd: m.inputPricePerMillion ?? null,
            output_per_million_usd: m.outputPricePerMillion ?? null,
          },
        })),
      });
      return;
    }
    if (path === "/v1/routes" && method === "GET") {
      const org = authenticate(req);
      send(res, 200, { object: "list", data: inOrder(org.routes).map(routeToWire) });
      return;
    }
    if (path === "/v1/routes" && method === "POST") {
      const org = authenticate(req);
      const result = validateNewRoute(await readJson(req), CATALOG);
      if (!result.ok) throw invalidRoute(result.issues);
      const modelIssues = checkRouteModels(result.value);
      if (modelIssues.length > 0) throw invalidRoute(modelIssues);
      const route: Route = { id: uuidv7(), ...result.value };
      org.routes.push(route);
      send(res, 201, routeToWire(route));
      return;
    }
    if (path === "/v1/routes/explain" && method === "POST") {
      const org = authenticate(req);
      const body = await readJson(req);
      validateCompletionBody(body);
      const tag = header(req, "x-switchyard-tag");
      const forced = header(req, "x-switchyard-route");
      const engine = new RoutingEngine(org.routes);
      const tokens = estimateTokens(body);
      const cost = estimateCost(body.model, tokens, body);
      let decision: Record<string, unknown>;
      try {
        const d = decide(org, body, tag, forced);
        decision = {
          outcome: d.route ? (forced !== undefined ? "forced" : "routed") : "unrouted",
          route: d.route?.name ?? null,
          candidates: d.candidates,
          bypass_reason: null,
        };
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        decision = {
          outcome: "rejected",
          status: error.status,
          code: error.code,
          message: error.message,
        };
      }
      const explanation = engine.explain(body, { tag }, tokens, cost);
      send(res, 200, {
        decision,
        input_tokens: tokens,
        estimated_cost_usd: cost ?? null,
        route: explanation.route ? routeToWire(explanation.route) : null,
        verdicts: explanation.verdicts.map((v) => ({
          id: v.route.id,
          name: v.route.name,
          priority: v.route.priority,
          enabled: v.route.enabled,
          matched: v.matched,
          failed_condition: v.failedCondition ?? null,
          reason: v.reason,
        })),
      });
      return;
    }
    const idMatch = /^\/v1\/routes\/([^/]+)$/.exec(path);
    if (idMatch) {
      const org = authenticate(req);
      const id = decodeURIComponent(idMatch[1] as string);
      if (method === "GET") {
        send(res, 200, routeToWire(findRoute(org, id)));
        return;
      }
      if (method === "PATCH") {
        const current = findRoute(org, id);
        const result = validateRoutePatch(current, await readJson(req), CATALOG);
        if (!result.ok) throw invalidRoute(result.issues);
        const updated = applyRoutePatch(current, result.value);
        const modelIssues = checkRouteModels(updated);
        if (modelIssues.length > 0) throw invalidRoute(modelIssues);
        org.routes[org.routes.indexOf(current)] = updated;
        send(res, 200, routeToWire(updated));
        return;
      }
      if (method === "DELETE") {
        const current = findRoute(org, id);
        org.routes.splice(org.routes.indexOf(current), 1);
        send(res, 200, { ok: true, id });
        return;
      }
    }
    if (path === "/v1/chat/completions" && method === "POST") {
      const org = authenticate(req);
      const body = await readJson(req);
      validateCompletionBody(body);
      let status = 200;
      try {
        const d = decide(
          org,
          body,
          header(req, "x-switchyard-tag"),
          header(req, "x-switchyard-route"),
        );
        // The mock's demo-flaky always fails: the request moves on to the first fallback.
        const fellBack = d.candidates[0] === "demo-flaky" && d.candidates.length > 1;
        const modelUsed = (fellBack ? d.candidates[1] : d.candidates[0]) as string;
        const cacheKey = JSON.stringify(body);
        const bodies = seenBodies.get(org.id) ?? new Set<string>();
        seenBodies.set(org.id, bodies);
        const hit = bodies.has(cacheKey);
        bodies.add(cacheKey);
        const system = (body.messages as Array<{ role?: string; content?: unknown }>).find(
          (m) => m.role === "system",
        );
        const prefixTokens = system ? Math.ceil(JSON.stringify(system.content).length / 4) : 0;
        const prefixes = seenPrefixes.get(org.id) ?? new Set<string>();
        seenPrefixes.set(org.id, prefixes);
        const prefixSeen = system !== undefined && prefixes.has(JSON.stringify(system.content));
        if (system) prefixes.add(JSON.stringify(system.content));
        const price = CATALOG.get(modelUsed)?.inputPricePerMillion ?? 0;
        const readTokens = prefixSeen && !hit ? prefixTokens : 0;
        const writtenTokens = !prefixSeen && !hit ? prefixTokens : 0;
        stats.record({
          orgId: org.id,
          status,
          route: d.route ? { id: d.route.id, name: d.route.name } : null,
          fellBack,
          responseCache: { outcome: hit ? "hit" : "miss", savedUsd: hit ? (d.cost ?? 0) : 0 },
          promptCache: {
            readTokens,
            writtenTokens,
            savedUsd: (readTokens * price * 0.9 - writtenTokens * price * 0.25) / 1e6,
          },
          costUsd: hit ? 0 : (d.cost ?? 0),
        });
        const headers: Record<string, string> = {
          "x-switchyard-model-used": modelUsed,
          "x-switchyard-cache": hit ? "hit" : "miss",
        };
        if (d.route) headers["x-switchyard-route"] = d.route.name;
        send(
          res,
          200,
          {
            id: `chatcmpl-stub-${uuidv7()}`,
            object: "chat.completion",
            created: Math.floor(Date.now() / 1000),
            model: modelUsed,
            choices: [
              {
                index: 0,
                message: { role: "assistant", content: `Stub reply from ${modelUsed}.` },
                finish_reason: "stop",
              },
            ],
            usage: { prompt_tokens: d.tokens, completion_tokens: 5, total_tokens: d.tokens + 5 },
          },
          headers,
        );
      } catch (error) {
        if (error instanceof HttpError) status = error.status;
        stats.record({ orgId: org.id, status });
        throw error;
      }
      return;
    }
    throw new HttpError(
      404,
      "not_found_error",
      "unknown_endpoint",
      `No endpoint ${method} ${path}.`,
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const known =
        error instanceof HttpError
          ? error
          : new HttpError(500, "api_error", "internal_error", "Internal gateway error.");
      if (!(error instanceof HttpError)) console.error(error);
      if (res.headersSent) {
        res.end();
        return;
      }
      send(res, known.status, {
        error: { message: known.message, type: known.type, code: known.code, param: known.param },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: "sy-demo-key",
    otherOrgKey: "sy-other-key",
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Ten minutes of plausible traffic for `org` (made up, deterministic). */
function recordHistory(stats: DashboardStatsRecorder, org: Org): void {
  const random = prng(42);
  const now = Date.now();
  const byName = new Map(org.routes.map((r) => [r.name, r]));
  for (let second = 590; second > 15; second -= 2) {
    const wave = 1 + Math.sin(second / 45);
    const count = Math.round(wave * 1.5 * random());
    for (let i = 0; i < count; i++) {
      const roll = random();
      const routeName =
        roll < 0.35
          ? "short-gpt-4o-to-mini"
          : roll < 0.55
            ? "code-questions-to-sonnet"
            : roll < 0.62
              ? "flaky-with-fallbacks"
              : undefined;
      const route = routeName ? byName.get(routeName) : undefined;
      const hit = random() < 0.3;
      const read = !hit && random() < 0.5 ? 1200 + Math.round(random() * 2400) : 0;
      const written = !hit && read === 0 && random() < 0.3 ? 1500 : 0;
      stats.record({
        orgId: org.id,
        at: now - second * 1000,
        status: random() < 0.03 ? 502 : 200,
        route: route ? { id: route.id, name: route.name } : null,
        fellBack: routeName === "flaky-with-fallbacks",
        responseCache: {
          outcome: hit ? "hit" : random() < 0.15 ? "bypass" : "miss",
          savedUsd: hit ? 0.004 : 0,
        },
        promptCache: {
          readTokens: read,
          writtenTokens: written,
          savedUsd: (read * 3 * 0.9 - written * 3 * 0.25) / 1e6,
        },
        costUsd: hit ? 0 : 0.003 + random() * 0.01,
      });
    }
  }
}
