import { invalidRequest } from "../errors/gateway-error.js";
import type { JsonObject } from "../protocol/json.js";

/**
 * Deepest nesting of objects and arrays a body may have. Real chat bodies
 * (tool schemas included) stay far below it; deeper ones would overflow the
 * stack of every JSON serializer on the way (`JSON.stringify` fails near
 * 5,000 levels), so they are refused up front.
 */
const MAX_JSON_DEPTH = 100;

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
  if (tooDeep(value, MAX_JSON_DEPTH)) {
    throw invalidRequest(
      `Request body is nested deeper than ${MAX_JSON_DEPTH} levels.`,
      null,
      "invalid_json",
    );
  }
  return value as JsonObject;
}

/** Whether objects and arrays nest deeper than `budget` levels (stops at the first too-deep branch). */
function tooDeep(value: object, budget: number): boolean {
  if (budget === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null && tooDeep(item, budget - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    const item: unknown = (value as JsonObject)[key];
    if (typeof item === "object" && item !== null && tooDeep(item, budget - 1)) return true;
  }
  return false;
}
