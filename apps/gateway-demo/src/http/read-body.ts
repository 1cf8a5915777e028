import type { IncomingMessage } from "node:http";
import { GatewayError, payloadTooLarge } from "../errors/gateway-error.js";

/**
 * Reads the request body into one Buffer, refusing more than `limit` bytes:
 * a `content-length` above the limit is refused before reading anything, a
 * chunked body as soon as it crosses the limit.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(payloadTooLarge(limit));
  }
  // One `done` flag settles the promise once; the listeners stay (the request ends with them).
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.resume();
        reject(payloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    req.on("error", (error: Error) => {
      if (done) return;
      done = true;
      reject(readFailed(error));
    });
    req.on("aborted", () => {
      if (done) return;
      done = true;
      reject(readFailed(new Error("client aborted")));
    });
  });
}

function readFailed(cause: Error): GatewayError {
  return new GatewayError(
    400,
    "invalid_request_error",
    "body_read_failed",
    "Could not read the request body.",
    { cause },
  );
}
