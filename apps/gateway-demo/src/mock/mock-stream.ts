import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Fault } from "./mock-faults.js";

/** A stream split where faults apply: `cut`/`stall` count `content` frames. */
export interface StreamFrames {
  readonly prelude: readonly string[];
  readonly content: readonly string[];
  readonly trailer: readonly string[];
}

function drop(res: ServerResponse): void {
  res.socket?.destroy();
}

/** Plays SSE frames with the fault's timing: ttft, chunk delays, a cut or a stall. */
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
  if (fault.ttftMs) await sleep(fault.ttftMs);
  if (res.destroyed) return;
  res.write(frames.prelude.join(""));
  for (let i = 0; i < frames.content.length; i++) {
    if (fault.chunkDelayMs && i > 0) await sleep(fault.chunkDelayMs);
    if (res.destroyed) return;
    const sent = i + 1;
    if (fault.cut === sent) {
      res.write(frames.content[i] as string, () => setTimeout(() => drop(res), 5));
      return;
    }
    res.write(frames.content[i] as string);
    if (fault.stall === sent) return;
  }
  res.end(frames.trailer.join(""));
}
