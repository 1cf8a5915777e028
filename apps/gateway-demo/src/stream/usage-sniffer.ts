import { type PlainTokens, plainTokens } from "../prompt-cache/pricing.js";
import type { ApiKind } from "../protocol/api-kind.js";
import { isRecord, type JsonObject } from "../protocol/json.js";

const USAGE = '"usage"';
/** Outputs kept from the end of a stream: its usage frames come last (OpenAI's usage chunk, Anthropic's message_delta). */
const TAIL = 4;

/**
 * Reads the usage of a stream passed through untouched (same API on both
 * sides, no prompt-cache accounting), for the cost in the log line, without
 * touching the stream while it flows: it keeps a reference to the first
 * output (Anthropic's `message_start`) and the last few (OpenAI's usage
 * chunk, Anthropic's `message_delta`), and parses only the `data:` lines
 * mentioning `"usage"` among them once the stream has ended.
 */
export class UsageSniffer {
  private first: string | Buffer | undefined;
  private readonly tail: Array<string | Buffer> = [];

  constructor(private readonly api: ApiKind) {}

  /** Remembers an output (a reference, no copy, no scan). */
  keep(out: string | Buffer): void {
    if (this.first === undefined) {
      this.first = out;
      return;
    }
    if (this.tail.length === TAIL) this.tail.shift();
    this.tail.push(out);
  }

  /** The stream's prompt and completion tokens, if it reported usage (call after it ended). */
  tokens(): PlainTokens | undefined {
    const usage = this.usage();
    return usage && plainTokens(this.api, usage);
  }

  /** The stream's usage object, its frames merged in order (call after it ended). */
  usage(): JsonObject | undefined {
    const usage: JsonObject = {};
    let seen = false;
    for (const out of this.first === undefined ? this.tail : [this.first, ...this.tail]) {
      const text = typeof out === "string" ? out : out.toString("utf8");
      for (let at = text.indexOf(USAGE); at !== -1; at = text.indexOf(USAGE, at + 1)) {
        const lineStart = text.lastIndexOf("\n", at) + 1;
        const lineEnd = text.indexOf("\n", at);
        const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
        if (!line.startsWith("data:")) continue;
        const found = usageOf(line.slice(5));
        if (found) {
          Object.assign(usage, found); // Anthropic: message_delta completes message_start
          seen = true;
        }
      }
    }
    return seen ? usage : undefined;
  }
}

function usageOf(json: string): JsonObject | undefined {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(data)) return undefined;
  if (isRecord(data.usage)) return data.usage;
  return isRecord(data.message) && isRecord(data.message.usage) ? data.message.usage : undefined;
}
