import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { DIALECTS } from "../dialects/index.js";
import type { ApiKind } from "../protocol/api-kind.js";
import { type Fault, hollowBody, parseFault, splitModel } from "./mock-faults.js";
import { MockProviderCache } from "./mock-provider-cache.js";
import { mockReply } from "./mock-reply.js";
import { cutOff, padded, playStream } from "./mock-stream.js";

/** What the mock saw, for tests. */
export interface RecordedRequest {
  readonly api: ApiKind;
  readonly model: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Record<string, unknown>;
}

const RECENT_LIMIT = 200;

/** The dialect each mock path speaks. */
const BY_PATH = new Map(Object.values(DIALECTS).map((d) => [d.mock.path, d.kind] as const));

/**
 * A deterministic OpenAI- and Anthropic-shaped upstream on loopback, with
 * fault injection (see mock-faults.ts), a provider-side prompt cache for
 * models named with `~provider_cache` (see mock-provider-cache.ts) and
 * request counting. Endpoints:
 * `POST /v1/chat/completions`, `POST /v1/messages`, `GET /__mock/stats`,
 * `POST /__mock/reset`.
 */
export class MockUpstream {
  private readonly byModel = new Map<string, number>();
  private readonly faultHits = new Map<string, number>();
  /** The provider-side prompt cache of models with the `provider_cache` directive. */
  private readonly providerCache = new MockProviderCache();
  private seq = 0;
  total = 0;
  /** Responses whose connection closed before they were complete (the caller went away). */
  abandoned = 0;
  readonly recent: RecordedRequest[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(options: { host?: string; port?: number } = {}): Promise<MockUpstream> {
    const server = createServer({ keepAliveTimeout: 60_000 });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
    });
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(":") ? `[${address}]` : address;
    const mock = new MockUpstream(server, `http://${host}:${port}`);
    server.on("request", (req, res) => void mock.handle(req, res));
    return mock;
  }

  /** Base URL for a provider of this dialect (`/v1` included for OpenAI). */
  baseUrlFor(kind: ApiKind): string {
    return `${this.url}${DIALECTS[kind].mock.basePath}`;
  }

  /** Completion requests received for this exact upstream model string, or in total. */
  count(model?: string): number {
    return model === undefined ? this.total : (this.byModel.get(model) ?? 0);
  }

  reset(): void {
    this.byModel.clear();
    this.faultHits.clear();
    this.providerCache.clear();
    this.recent.length = 0;
    this.total = 0;
    this.abandoned = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?", 1)[0] as string;
    if (req.method === "GET" && path === "/__mock/stats") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ total: this.total, by_model: Object.fromEntries(this.byModel) }));
      return;
    }
    if (req.method === "POST" && path === "/__mock/reset") {
      this.reset();
      res.end("{}");
      return;
    }
    const api = BY_PATH.get(path);
    if (req.method !== "POST" || api === undefined) {
      res.statusCode = 404;
      res.end(DIALECTS.openai.mock.error(404, `mock upstream: no route ${req.method} ${path}`));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    } catch {
      return this.fail(res, api, 400, "mock upstream: body is not JSON", undefined);
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return this.fail(res, api, 400, "mock upstream: body is not a JSON object", undefined);
    }
    try {
      await this.complete(req, res, api, body);
    } catch (error) {
      // A body the mock cannot answer is the client's problem, as with a real upstream.
      if (res.headersSent) res.destroy();
      else
        this.fail(
          res,
          api,
          400,
          `mock upstream: cannot answer this body: ${String(error)}`,
          undefined,
        );
    }
  }

  private async complete(
    req: IncomingMessage,
    res: ServerResponse,
    api: ApiKind,
    body: Record<string, unknown>,
  ): Promise<void> {
    const model = typeof body.model === "string" ? body.model : "";
    const header = req.headers["x-mock-fault"];
    this.total++;
    res.once("close", () => {
      if (!res.writableFinished) this.abandoned++;
    });
    this.byModel.set(model, (this.byModel.get(model) ?? 0) + 1);
    this.recent.push({ api, model, headers: req.headers, body });
    if (this.recent.length > RECENT_LIMIT) this.recent.shift();

    const { base, directives } = splitModel(model);
    const fault = parseFault(
      typeof header === "string" ? header : undefined,
      parseFault(directives),
    );
    const faultKey = `${model}|${header ?? ""}`;
    const hit = (this.faultHits.get(faultKey) ?? 0) + 1;
    this.faultHits.set(faultKey, hit);
    const active: Fault = fault.times !== undefined && hit > fault.times ? {} : fault;
    if (fault.tool) active.tool = true;

    if (active.latencyMs) await sleep(active.latencyMs);
    if (active.fail !== undefined) {
      return this.fail(
        res,
        api,
        active.fail,
        `mock upstream: injected ${active.fail}`,
        active.retryAfterS,
      );
    }
    const seq = ++this.seq;
    const reply = this.providerCache.apply(
      api,
      body,
      base,
      directives,
      await mockReply(api, body, base, active.tool === true, seq),
    );
    if (body.stream === true) {
      const includeUsage =
        (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
      const { mock } = DIALECTS[api];
      const frames = mock.streamFrames(reply, base, mock.replyId(seq), includeUsage);
      return playStream(res, frames, active);
    }
    if (active.cut !== undefined) return void res.socket?.destroy();
    if (active.stall !== undefined) return; // never answer
    if (active.ttftMs) await sleep(active.ttftMs);
    const { mock } = DIALECTS[api];
    let json = mock.completion(reply, base, mock.replyId(seq));
    if (active.garble !== undefined) json = cutOff(json);
    if (active.empty) json = "";
    if (active.body) json = hollowBody(api, active.body, `mock-${seq}`);
    if (active.bigEventBytes) json = padded(json, active.bigEventBytes);
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(json),
    });
    res.end(json);
  }

  private fail(
    res: ServerResponse,
    api: ApiKind,
    status: number,
    message: string,
    retryAfterS: number | undefined,
  ) {
    const body = DIALECTS[api].mock.error(status, message);
    const headers: Record<string, string | number> = {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    };
    const retryAfter = retryAfterS ?? (status === 429 ? 1 : undefined);
    if (retryAfter !== undefined) headers["retry-after"] = String(retryAfter);
    res.writeHead(status, headers);
    res.end(body);
  }
}
