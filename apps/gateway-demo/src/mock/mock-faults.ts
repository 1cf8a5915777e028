/**
 * Fault injection for the mock upstream, chosen by the model name
 * (`gpt-4o~fail=500~times=1`) or the `x-mock-fault` header
 * (`fail=429~retry_after=1`). Directives, separated by `~` (or `,` in the header):
 *
 * | directive | effect |
 * |---|---|
 * | `fail=<status>` | answer with this status and the API's error envelope (e.g. 500, 529, 429, 400, 404) |
 * | `retry_after=<s>` | `retry-after` seconds on a failure (429 defaults to 1) |
 * | `times=<n>` | fault only the first n requests for this model+header, then behave |
 * | `latency=<ms>` | wait before the response headers |
 * | `ttft=<ms>` | wait before the first token (after the headers when streaming) |
 * | `chunk_delay=<ms>` | wait between stream chunks |
 * | `cut=<n>` | streaming: drop the connection after n content chunks (0: right after the headers); non-streaming: drop it instead of answering |
 * | `stall=<n>` | streaming: stop sending after n content chunks and hold the connection; non-streaming: never answer |
 * | `tool` | answer with a call of the first declared tool |
 * | `garble=<n>` | a 200 that cannot be parsed. Streaming: after n content chunks, a frame whose JSON is cut off (0: instead of the first frame), then the rest of the stream; non-streaming: the JSON body cut off half-way (its content-length matches) |
 * | `empty` | a 200 without an answer. Streaming: the event-stream headers and a comment, no event; non-streaming: an empty body |
 * | `big_event=<bytes>` | streaming: the last content chunk padded with JSON whitespace to about this many bytes; non-streaming: the whole body padded so |
 * | `truncate=<n>` | streaming: end the stream cleanly (no error, the connection kept) after n frames past the opening ones: the content chunks, then the trailer's (OpenAI: finish chunk, usage chunk, `[DONE]`; Anthropic: `content_block_stop`, `message_delta`, `message_stop`); the final event never comes |
 * | `body=<kind>` | non-streaming: a 200 JSON answer that is no completion: `empty_object` (`{}`) or `no_answer` (OpenAI `choices: []`, Anthropic `content: null`) |
 */
export interface Fault {
  fail?: number;
  retryAfterS?: number;
  times?: number;
  latencyMs?: number;
  ttftMs?: number;
  chunkDelayMs?: number;
  cut?: number;
  stall?: number;
  tool?: boolean;
  garble?: number;
  empty?: boolean;
  bigEventBytes?: number;
  truncate?: number;
  body?: HollowBody;
}

/** The `body=` directive's answers. */
export type HollowBody = "empty_object" | "no_answer";
const HOLLOW = new Set<string>(["empty_object", "no_answer"]);

const NUMERIC: Record<string, keyof Fault> = {
  fail: "fail",
  retry_after: "retryAfterS",
  times: "times",
  latency: "latencyMs",
  ttft: "ttftMs",
  chunk_delay: "chunkDelayMs",
  cut: "cut",
  stall: "stall",
  garble: "garble",
  big_event: "bigEventBytes",
  truncate: "truncate",
};

/** Parses directives; unknown or malformed ones are ignored. */
export function parseFault(text: string | undefined, into: Fault = {}): Fault {
  if (!text) return into;
  for (const directive of text.split(/[~,]/)) {
    const [name = "", value] = directive.trim().split("=", 2);
    if (name === "tool" || name === "empty") {
      into[name] = true;
      continue;
    }
    if (name === "body" && value !== undefined && HOLLOW.has(value)) {
      into.body = value as HollowBody;
      continue;
    }
    const key = NUMERIC[name];
    const number = Number(value);
    if (key && value !== undefined && Number.isFinite(number) && number >= 0) {
      (into as Record<string, number>)[key] = number;
    }
  }
  return into;
}

/** The `body=` directive's JSON for the API: valid JSON, but no completion. */
export function hollowBody(api: "openai" | "anthropic", kind: HollowBody, id: string): string {
  if (kind === "empty_object") return "{}";
  return api === "openai"
    ? JSON.stringify({ id, object: "chat.completion", choices: [] })
    : JSON.stringify({ id, type: "message", role: "assistant", content: null });
}

/** `gpt-4o~fail=500` -> base `gpt-4o` and its fault directives. */
export function splitModel(model: string): { base: string; directives: string | undefined } {
  const tilde = model.indexOf("~");
  return tilde === -1
    ? { base: model, directives: undefined }
    : { base: model.slice(0, tilde), directives: model.slice(tilde + 1) };
}
