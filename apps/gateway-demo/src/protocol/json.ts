/** A JSON object as parsed from a body: nothing about its members is trusted. */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a JSON object (not `null`, not an array). */
export function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
