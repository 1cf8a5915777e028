import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool, util } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CancelToken } from "../src/cancel/cancel-token.js";
import { collectResponse, ResponseTooLarge } from "../src/upstream/collect-response.js";

/** Routes by path: `/chunks` (three writes), `/error` (a 503 with a long body), `/hang` (never answers). */
let server: Server;
let pool: Pool;
let hangs = 0;
let hangsClosed = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    if (req.url === "/chunks") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"a":');
      setTimeout(() => {
        res.write("[1,2,");
        res.end("3]}");
      }, 5);
    } else if (req.url === "/error") {
      res.writeHead(503, { "retry-after": "2" });
      res.end("e".repeat(10_000));
    } else {
      hangs += 1;
      res.once("close", () => {
        hangsClosed += 1;
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  pool = new Pool(`http://127.0.0.1:${port}`, { connections: 2, headersTimeout: 1_000 });
});

afterAll(async () => {
  await pool.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (path: string) => ({ method: "POST" as const, path, body: "{}" });

describe("collectResponse (dispatch with the body collected)", () => {
  it("collects a body sent in several writes, with the status and headers", async () => {
    const response = await collectResponse(pool, post("/chunks"), new CancelToken(), 64, 1024);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({ a: [1, 2, 3] });
    expect(util.parseHeaders(response.rawHeaders)["content-type"]).toBe("application/json");
  });

  it("keeps an error body up to the limit, and its headers", async () => {
    const response = await collectResponse(pool, post("/error"), new CancelToken(), 100, 1024);
    expect(response.statusCode).toBe(503);
    expect(response.body.toString()).toBe("e".repeat(100));
    expect(util.parseHeaders(response.rawHeaders)["retry-after"]).toBe("2");
    // The pool still serves requests afterwards.
    const next = await collectResponse(pool, post("/chunks"), new CancelToken(), 64, 1024);
    expect(next.statusCode).toBe(200);
  });

  it("rejects with the token's reason when it aborts mid-request, and the upstream sees the close", async () => {
    const token = new CancelToken();
    const pending = collectResponse(pool, post("/hang"), token, 64, 1024);
    while (hangs === 0) await new Promise((r) => setTimeout(r, 5));
    const reason = new Error("client gone");
    token.cancel(reason);
    await expect(pending).rejects.toBe(reason);
    const deadline = Date.now() + 1_000;
    while (hangsClosed === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(hangsClosed).toBe(1);
  });

  it("rejects at once with an already-cancelled token", async () => {
    const token = new CancelToken();
    token.cancel(new Error("too late"));
    await expect(collectResponse(pool, post("/chunks"), token, 64, 1024)).rejects.toThrow(
      "too late",
    );
  });

  it("a 2xx body above its limit rejects with ResponseTooLarge; the pool still serves (issue 14.7)", async () => {
    const tooLarge = await collectResponse(pool, post("/chunks"), new CancelToken(), 64, 8).catch(
      (e: unknown) => e,
    );
    expect(tooLarge).toBeInstanceOf(ResponseTooLarge);
    expect((tooLarge as ResponseTooLarge).limit).toBe(8);
    const fits = await collectResponse(pool, post("/chunks"), new CancelToken(), 64, 13);
    expect(fits.body.toString()).toBe('{"a":[1,2,3]}');
  });

  it("rejects with undici's headers timeout when the upstream does not answer", async () => {
    const pending = collectResponse(pool, post("/hang"), new CancelToken(), 64, 1024);
    await expect(pending).rejects.toMatchObject({ code: "UND_ERR_HEADERS_TIMEOUT" });
  });
});
