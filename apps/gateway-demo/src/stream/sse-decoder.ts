import { StringDecoder } from "node:string_decoder";

export interface SseEvent {
  readonly event: string | undefined;
  readonly data: string;
}

/** Splits a byte stream into server-sent events (`event:` and `data:` fields; comments ignored). */
export class SseDecoder {
  private readonly decoder = new StringDecoder("utf8");
  private buffer = "";

  push(chunk: Buffer): SseEvent[] {
    let text = this.decoder.write(chunk);
    if (text.includes("\r")) text = text.replace(/\r\n?/g, "\n");
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (
      let end = this.buffer.indexOf("\n\n");
      end !== -1;
      end = this.buffer.indexOf("\n\n", start)
    ) {
      const event = parseBlock(this.buffer.slice(start, end));
      if (event) events.push(event);
      start = end + 2;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** The last event when the stream ended without a blank line. */
  flush(): SseEvent[] {
    const rest = this.buffer + this.decoder.end();
    this.buffer = "";
    const event = rest.trim() === "" ? undefined : parseBlock(rest.trim());
    return event ? [event] : [];
  }
}

function parseBlock(block: string): SseEvent | undefined {
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
