import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServerConfig } from "../config/types.js";
import { GatewayError, internalError, notFound } from "../errors/gateway-error.js";
import type { Logger } from "../log/logger.js";
import { newRequestContext, type RequestContext } from "../protocol/request-context.js";
import { requestIdFor } from "./request-id.js";
import type { Router } from "./router.js";
import { sendError } from "./send.js";

export interface HttpServerHandle {
  readonly server: Server;
  /** `http://host:port` once listening. */
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish (up to `timeoutMs`), then drops what is left. */
  drain(timeoutMs: number): Promise<void>;
}

/** What a finished request tells the finish hook (access log, metrics, dashboard). */
export interface RequestOutcome {
  readonly ctx: Readonly<RequestContext>;
  readonly res: ServerResponse;
  readonly status: number;
  readonly durationNs: number;
}

export interface HttpServerOptions {
  readonly config: ServerConfig;
  readonly logger: Logger;
  /** Whether shutdown began: responses then ask clients to reconnect elsewhere. */
  readonly draining: () => boolean;
  /** Called once per request when its response is closed (finished or cut). */
  readonly onFinish: (outcome: RequestOutcome) => void;
}

/** The `node:http` server: request ids, routing, error envelopes, the finish hook, draining. */
export async function startHttpServer(
  options: HttpServerOptions,
  router: Router,
): Promise<HttpServerHandle> {
  const { config: cfg, logger, onFinish } = options;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const server = createServer({
    keepAliveTimeout: cfg.keepAliveTimeoutMs,
    // Receiving the request only (a trickled body or headers: 408 and closed); responses,
    // long streams included, are not limited by these.
    requestTimeout: cfg.requestTimeoutMs,
    headersTimeout: cfg.headersTimeoutMs,
    // How often node checks those timeouts (its default, 30 s, would let them overrun that much).
    connectionsCheckingInterval: Math.min(
      1_000,
      Math.max(10, Math.floor(Math.min(cfg.requestTimeoutMs, cfg.headersTimeoutMs) / 4)),
    ),
  });
  // Connections beyond the cap are closed as they arrive; open ones are served as usual.
  server.maxConnections = cfg.maxConnections;

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    const ctx = newRequestContext(
      requestIdFor(req),
      req.method ?? "GET",
      url.split("?", 1)[0] as string,
    );
    res.setHeader("x-request-id", ctx.id);
    if (options.draining()) res.setHeader("connection", "close");
    inFlight++;
    res.once("close", () => {
      inFlight--;
      // Cut by server.request_timeout_ms before the body arrived: node answered 408 itself.
      if (!res.headersSent && isRequestTimeout(req.socket.errored)) {
        res.statusCode = 408;
        ctx.errorCode = "request_timeout";
      }
      const durationNs = Number(process.hrtime.bigint() - ctx.startedAt);
      onFinish({ ctx, res, status: res.statusCode, durationNs });
      if (inFlight === 0) idle?.();
    });
    const match = router.match(ctx.method, url);
    if (match.kind === "found") {
      // Called directly (no microtask hop first); sync throws and rejections end the same way.
      try {
        const pending = match.handler(req, res, ctx, match.param);
        if (pending) pending.catch((error: unknown) => fail(logger, res, ctx, error));
      } catch (error) {
        fail(logger, res, ctx, error);
      }
    } else if (match.kind === "method_not_allowed") {
      res.setHeader("allow", match.allow);
      const error = new GatewayError(
        405,
        "invalid_request_error",
        "method_not_allowed",
        `${ctx.method} is not allowed on ${ctx.path}; use ${match.allow}.`,
      );
      fail(logger, res, ctx, error);
    } else {
      if (ctx.path === "/v1/messages") ctx.api = "anthropic";
      fail(
        logger,
        res,
        ctx,
        notFound(`No endpoint ${ctx.method} ${ctx.path}.`, "unknown_endpoint"),
      );
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(cfg.port, cfg.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(":") ? `[${address}]` : address}:${port}`;

  async function drain(timeoutMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inFlight > 0) {
      const done = new Promise<void>((resolve) => {
        idle = resolve;
      });
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([done, deadline]);
      clearTimeout(timer);
    }
    server.closeAllConnections();
    await closed;
  }

  return { server, url, drain };
}

function isRequestTimeout(error: Error | null): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "ERR_HTTP_REQUEST_TIMEOUT";
}

function fail(logger: Logger, res: ServerResponse, ctx: RequestContext, error: unknown): void {
  if (res.destroyed || ctx.clientAborted) return;
  const known = error instanceof GatewayError ? error : undefined;
  if (!known) logger.error({ err: error, req_id: ctx.id }, "unhandled error");
  const answer = known ?? internalError(error);
  ctx.errorCode = answer.code;
  if (res.headersSent) {
    res.end();
    return;
  }
  if (answer.status === 413) res.setHeader("connection", "close");
  sendError(res, ctx.api, answer);
}
