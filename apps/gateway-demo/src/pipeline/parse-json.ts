import { invalidRequest } from "../errors/gateway-error.js";

export type JsonObject = Record<string, unknown>;

/** Parses a request body that must be a JSON object; 400 `invalid_json` otherwise. */
export function parseJsonObject(body: Buffer): JsonObject {
  if (body.length === 0)
    throw invalidRequest("Request body is empty; send a JSON object.", null, "invalid_json");
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw invalidRequest(
      `Request body is not valid JSON: ${(error as Error).message}`,
      null,
      "invalid_json",
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidRequest("Request body must be a JSON object.", null, "invalid_json");
  }
  return value as JsonObject;
}
