import type { ServerResponse } from "node:http";
import { errorBody } from "../errors/envelope.js";
import type { GatewayError } from "../errors/gateway-error.js";
import type { ApiKind } from "../protocol/api-kind.js";

const JSON_TYPE = "application/json";

/** Writes a complete JSON response (a string or an already encoded Buffer). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers?: Readonly<Record<string, string>>,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = status;
  res.setHeader("content-type", JSON_TYPE);
  res.setHeader("content-length", typeof body === "string" ? Buffer.byteLength(body) : body.length);
  if (headers) for (const name in headers) res.setHeader(name, headers[name] as string);
  res.end(body);
}

export function sendObject(res: ServerResponse, status: number, value: unknown): void {
  sendJson(res, status, JSON.stringify(value));
}

/** Writes a gateway error in the envelope of the API the client speaks. */
export function sendError(res: ServerResponse, api: ApiKind, error: GatewayError): void {
  sendJson(res, error.status, errorBody(api, error), error.headers);
}
