import type { IncomingMessage } from "node:http";
import { readBody } from "../http/read-body.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";
import type { RequestContext } from "../protocol/request-context.js";
import { parseJsonObject } from "./parse-json.js";
import { validateBody } from "./validate-body.js";

/** A client's completion request as read and validated. */
export interface ClientCompletion {
  readonly api: ApiKind;
  /** The body exactly as received (forwarded untouched when nothing changes). */
  readonly raw: Buffer;
  readonly body: JsonObject;
  /** The model the client asked for (validated: a non-empty string). */
  readonly model: string;
  readonly stream: boolean;
}

/**
 * Read and validate: the body within `bodyLimit` bytes (413), a JSON object
 * (400 `invalid_json`), valid for the client's API (400 naming the field).
 */
export async function readCompletion(
  api: ApiKind,
  req: IncomingMessage,
  bodyLimit: number,
  ctx: RequestContext,
): Promise<ClientCompletion> {
  const raw = await readBody(req, bodyLimit);
  const body = parseJsonObject(raw);
  validateBody(api, body);
  const model = body.model as string;
  const stream = body.stream === true;
  ctx.requestedModel = model;
  ctx.stream = stream;
  return { api, raw, body, model, stream };
}
