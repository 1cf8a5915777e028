import { DEFAULTS } from "./defaults.js";
import type { FieldReader, Obj } from "./field-reader.js";
import type { ServerConfig } from "./types.js";

const DAY_MS = 86_400_000;

/** The `server` section: where to listen, body limit, timeouts, the connection cap. */
export function readServer(r: FieldReader, raw: Obj): ServerConfig {
  const s = r.section(raw, "server", "", [
    "host",
    "port",
    "body_limit_bytes",
    "keep_alive_timeout_ms",
    "shutdown_timeout_ms",
    "request_timeout_ms",
    "headers_timeout_ms",
    "max_connections",
  ]);
  const d = DEFAULTS.server;
  const path = "server";
  const server: ServerConfig = {
    host: r.string(s, "host", path, d.host),
    port: r.int(s, "port", path, d.port, 0, 65_535),
    bodyLimitBytes: r.int(s, "body_limit_bytes", path, d.bodyLimitBytes, 1024, 1024 ** 3),
    keepAliveTimeoutMs: r.int(s, "keep_alive_timeout_ms", path, d.keepAliveTimeoutMs, 1, DAY_MS),
    shutdownTimeoutMs: r.int(s, "shutdown_timeout_ms", path, d.shutdownTimeoutMs, 0, DAY_MS),
    requestTimeoutMs: r.int(s, "request_timeout_ms", path, d.requestTimeoutMs, 100, DAY_MS),
    headersTimeoutMs: r.int(s, "headers_timeout_ms", path, d.headersTimeoutMs, 100, DAY_MS),
    maxConnections: r.int(s, "max_connections", path, d.maxConnections, 1, 1_000_000),
  };
  // node:http refuses a headers timeout above the request timeout (the headers are part of it).
  if (server.headersTimeoutMs > server.requestTimeoutMs) {
    r.fail(
      "server.headers_timeout_ms",
      `must not exceed server.request_timeout_ms (${server.requestTimeoutMs}); the headers are part of the request`,
    );
  }
  return server;
}
