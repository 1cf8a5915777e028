import { parseSseFrame } from "./sse-frames.js";
import { isJsonObject, type JsonObject } from "./types.js";

/** What one SSE frame carries. */
export interface FrameInspection {
  /** The `event:` field, if any. */
  readonly event: string | undefined;
  /** The parsed `data:` JSON, when it is an object. */
  readonly data: JsonObject | undefined;
  /** The usage object: `data.usage` (OpenAI final chunk, Anthropic `message_delta`) or `data.message.usage` (Anthropic `message_start`). */
  readonly usage: JsonObject | undefined;
  /** An error frame: `event: error`, `"type":"error"` or an `error` object. */
  readonly isError: boolean;
}

interface Line {
  readonly text: string;
  readonly terminator: string;
}

const NOTHING: FrameInspection = {
  event: undefined,
  data: undefined,
  usage: undefined,
  isError: false,
};

/** Reads one complete frame. Cheap for frames that mention neither `usage` nor `error`. */
export function inspectFrame(frame: Buffer): FrameInspection {
  if (frame.indexOf("usage") < 0 && frame.indexOf("error") < 0) return NOTHING;
  const { event, data } = parseSseFrame(frame);
  let parsed: unknown;
  try {
    parsed = data === undefined ? undefined : JSON.parse(data);
  } catch {
    parsed = undefined;
  }
  const object = isJsonObject(parsed) ? parsed : undefined;
  const isError =
    event === "error" ||
    (object !== undefined && (object.type === "error" || isJsonObject(object.error)));
  let usage: JsonObject | undefined;
  if (object !== undefined && !isError) {
    if (isJsonObject(object.usage)) usage = object.usage;
    else if (isJsonObject(object.message) && isJsonObject(object.message.usage)) {
      usage = object.message.usage;
    }
  }
  return { event, data: object, usage, isError };
}

/**
 * The frame with its usage object replaced by `usage`: the data is
 * re-serialized as one `data:` line with the first data line's prefix and
 * terminator; every other line (event, id, comments) and terminator is kept.
 */
export function replaceFrameUsage(
  frame: Buffer,
  inspection: FrameInspection,
  usage: JsonObject,
): Buffer {
  const data = inspection.data;
  if (data === undefined || inspection.usage === undefined) return frame;
  const replaced: JsonObject = isJsonObject(data.usage)
    ? { ...data, usage }
    : { ...data, message: { ...(data.message as JsonObject), usage } };
  let out = "";
  let wroteData = false;
  for (const line of splitLines(frame.toString("utf8"))) {
    if (!line.text.startsWith("data:")) {
      out += line.text + line.terminator;
    } else if (!wroteData) {
      const prefix = line.text.startsWith("data: ") ? "data: " : "data:";
      out += prefix + JSON.stringify(replaced) + line.terminator;
      wroteData = true;
    }
  }
  return Buffer.from(out, "utf8");
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const pattern = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  for (const match of text.matchAll(pattern)) {
    const [whole, body = "", terminator = ""] = match;
    if (whole === "") break;
    lines.push({ text: body, terminator });
  }
  return lines;
}
