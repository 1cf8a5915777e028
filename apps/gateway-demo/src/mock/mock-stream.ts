import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { StreamFrames } from "../dialects/mock-wire.js";
import type { Fault } from "./mock-faults.js";

function drop(res: ServerResponse): void {
  res.socket?.destroy();
}

/** Plays SSE frames with the fault's timing: ttft, chunk delays, a cut, a stall or a clean early end (`truncate`). */
export async function playStream(
  res: ServerResponse,
  frames: StreamFrames,
  fault: Fault,
): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
  if (fault.cut === 0) {
    setImmediate(() => drop(res));
    return;
  }
  if (fault.stall === 0) return; // hold the connection open, send nothing
  if (fault.empty) return void res.end(": mock upstream: no event follows\n\n");
  if (fault.ttftMs) await sleep(fault.ttftMs);
  if (res.destroyed) return;
  const [opening = "", ...prelude] = frames.prelude;
  res.write((fault.garble === 0 ? cutOff(opening) : opening) + prelude.join(""));
  for (let i = 0; i < frames.content.length; i++) {
    if (fault.chunkDelayMs && i > 0) await sleep(fault.chunkDelayMs);
    if (res.destroyed) return;
    if (fault.truncate === i) return void res.end();
    const sent = i + 1;
    let frame = frames.content[i] as string;
    const last = i === frames.content.length - 1;
    if (last && fault.bigEventBytes) frame = padded(frame, fault.bigEventBytes);
    if (fault.cut === sent) {
      res.write(frame, () => setTimeout(() => drop(res), 5));
      return;
    }
    res.write(frame);
    if (fault.garble === sent) res.write(cutOff(frame));
    if (fault.stall === sent) return;
  }
  const { truncate } = fault;
  const trailer =
    truncate === undefined
      ? frames.trailer
      : frames.trailer.slice(0, Math.max(0, truncate - frames.content.length));
  res.end(trailer.join(""));
}

/** A frame (`…data: {…}\n\n`) or JSON body cut off half-way through its JSON, still ending like a frame or body. */
export function cutOff(text: string): string {
  if (!text.endsWith("\n\n")) return text.slice(0, Math.floor(text.length / 2));
  const json = text.lastIndexOf("data: ") + "data: ".length;
  return `${text.slice(0, json + Math.floor((text.length - 2 - json) / 2))}\n\n`;
}

/** A frame or JSON body padded with whitespace before its closing brace to about `bytes` bytes (still valid JSON). */
export function padded(text: string, bytes: number): string {
  const close = text.lastIndexOf("}");
  const padding = " ".repeat(Math.max(0, bytes - Buffer.byteLength(text)));
  return text.slice(0, close) + padding + text.slice(close);
}
