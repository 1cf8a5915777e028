import { parseEventData } from "../../stream/malformed-stream.js";
import type { StreamEndCheck } from "../../stream/stream-transformer.js";

/** An Anthropic stream ends with `message_stop` (or an `error` event); nothing else completes it. */
export class AnthropicStreamEnd implements StreamEndCheck {
  readonly finalEvent = "message_stop";
  readonly complete = false;

  isFinal(data: string): boolean {
    const value = parseEventData(data);
    return value.type === "message_stop" || value.type === "error";
  }
}
