/**
 * The floor of the gateway's architecture: the least a `node:http` + undici
 * gateway must do per request (read the body, parse it to learn the model,
 * forward the same bytes over a keep-alive pool, answer JSON with a
 * content-length or pass a stream through chunk by chunk). No auth, routing,
 * logging or metrics. Its added latency is what the machine charges for any
 * Node gateway of this design; the benchmark shows ours next to it.
 *
 *   node --import tsx floor-proxy.ts <port> <upstream origin>
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Pool } from "undici";

const [portText, upstream] = process.argv.slice(2);
if (portText === undefined || upstream === undefined) {
  process.stderr.write("usage: floor-proxy.ts <port> <upstream origin>\n");
  process.exit(2);
}

const pool = new Pool(upstream, { connections: 128, pipelining: 1 });

async function forward(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
  const parsed = JSON.parse(body.toString("utf8")) as { model?: unknown };
  if (typeof parsed.model !== "string") throw new Error("no model");
  const up = await pool.request({
    method: "POST",
    path: req.url ?? "/",
    headers: { "content-type": "application/json", authorization: "Bearer sk-mock" },
    body,
  });
  const type = String(up.headers["content-type"] ?? "application/json");
  if (type.startsWith("text/event-stream")) {
    res.writeHead(up.statusCode, { "content-type": type, "cache-control": "no-cache" });
    for await (const chunk of up.body) res.write(chunk);
    res.end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of up.body) chunks.push(chunk as Buffer);
  const out = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
  res.writeHead(up.statusCode, { "content-type": type, "content-length": out.length });
  res.end(out);
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.method === "GET") {
    res.end("ok"); // readiness
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    forward(req, res, body).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(502, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: String(error) } }));
      }
    });
  });
});

server.listen(Number(portText), "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${portText}` })}\n`);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close();
    void pool.close().finally(() => process.exit(0));
  });
}
