import type { JsonObject } from "../protocol/json.js";

/**
 * An upstream stream the gateway cannot read as its API's SSE: an event's
 * data that is not a JSON object, or an event above
 * `upstream.max_sse_event_bytes`, or a stream that ends without its final
 * event ({@link endedEarly}). Before the first byte reached the client
 * it is an upstream failure (502, retried and fallen back like a 5xx);
 * after it, the stream ends with an error event.
 */
export class MalformedStream extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedStream";
  }
}

/** An event's data as the JSON object both APIs send (OpenAI's `[DONE]` is the caller's to recognise). */
export function parseEventData(data: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    throw new MalformedStream(`an SSE event whose data is not JSON: ${excerpt(data)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MalformedStream(`an SSE event whose data is not a JSON object: ${excerpt(data)}`);
  }
  return value as JsonObject;
}

/** The error for an event that outgrew the bound (it is not read further). */
export function eventTooLarge(maxEventBytes: number): MalformedStream {
  return new MalformedStream(
    `an SSE event larger than ${maxEventBytes} bytes (upstream.max_sse_event_bytes)`,
  );
}

/** The error for a stream that ended (cleanly) without its API's final event. */
export function endedEarly(finalEvent: string): MalformedStream {
  return new MalformedStream(`a stream that ended before its final event (${finalEvent})`);
}

function excerpt(data: string): string {
  return JSON.stringify(data.length > 80 ? `${data.slice(0, 80)}…` : data);
}
