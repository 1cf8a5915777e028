import { StringDecoder } from "node:string_decoder";
import { eventTooLarge } from "./malformed-stream.js";

export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/**
 * Splits a byte stream into server-sent events (`event:` and `data:` fields;
 * comments ignored). Linear in the stream's length: the text of an
 * unfinished event is kept in pieces and only the new text is searched for
 * the blank line that ends it. An event above `maxEventBytes` throws
 * {@link MalformedStream} as soon as it outgrows the bound.
 */
export class SseDecoder {
  private readonly decoder = new StringDecoder("utf8");
  /** Text of the unfinished event (line ends normalised to `\n`). */
  private pending: string[] = [];
  private pendingBytes = 0;
  /** The pending text ends with `\n` (a blank line may straddle two chunks). */
  private pendingEndsInLf = false;
  /** The last chunk ended with `\r` (a `\r\n` may straddle two chunks). */
  private endedInCr = false;

  constructor(private readonly maxEventBytes = Number.POSITIVE_INFINITY) {}

  push(chunk: Buffer): SseEvent[] {
    let text = this.decoder.write(chunk);
    if (text === "") return [];
    if (this.endedInCr && text.charCodeAt(0) === LF) text = text.slice(1);
    this.endedInCr = text.charCodeAt(text.length - 1) === CR;
    if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
    if (text === "") return [];
    const straddles = this.pendingEndsInLf && text.charCodeAt(0) === LF;
    if (!straddles && text.indexOf("\n\n") === -1) {
      this.pending.push(text);
      this.pendingBytes += chunk.length;
      this.pendingEndsInLf = text.charCodeAt(text.length - 1) === LF;
      if (this.pendingBytes > this.maxEventBytes) throw eventTooLarge(this.maxEventBytes);
      return [];
    }
    const buffer = this.pending.length === 0 ? text : this.pending.join("") + text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n", start)) {
      // Characters never outnumber bytes: a longer event is certainly above the bound.
      if (end - start > this.maxEventBytes) throw eventTooLarge(this.maxEventBytes);
      const event = parseBlock(buffer.slice(start, end));
      if (event) events.push(event);
      start = end + 2;
    }
    const rest = buffer.slice(start);
    this.pending = rest === "" ? [] : [rest];
    this.pendingBytes = rest === "" ? 0 : Buffer.byteLength(rest);
    this.pendingEndsInLf = rest.charCodeAt(rest.length - 1) === LF;
    if (this.pendingBytes > this.maxEventBytes) throw eventTooLarge(this.maxEventBytes);
    return events;
  }

  /** The last event when the stream ended without a blank line. */
  flush(): SseEvent[] {
    const rest = (this.pending.join("") + this.decoder.end()).trim();
    this.pending = [];
    this.pendingBytes = 0;
    const event = rest === "" ? undefined : parseBlock(rest);
    return event ? [event] : [];
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** One event's fields from its lines (`\n`-separated); `undefined` for a block of comments only. */
export function parseBlock(block: string): SseEvent | undefined {
  let event: string | undefined;
  let data: string | undefined;
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data = data === undefined ? value : `${data}\n${value}`;
  }
  return data === undefined && event === undefined ? undefined : { event, data: data ?? "" };
}
