/**
 * Preloaded into the gateway's process (`node --import <this file>`) by the
 * one-word benchmark: measures that process's own event-loop delay and
 * answers on a second loopback port (`SWITCHYARD_BENCH_LOOP_PORT`):
 *
 *   POST /reset  clears the delay histogram; answers `{}`
 *   GET  /read   `{"maxMs","p99Ms","meanMs","samples","busyMaxMs"}` since the last reset
 *   POST /parse  times, in this process, `JSON.parse` of the posted body's
 *                text (`textMs`) and of its bytes as the gateway parses a
 *                body, UTF-8 decoding included (`bytesMs`): medians of 7
 *                after one warm-up parse
 *
 * The histogram is `perf_hooks.monitorEventLoopDelay` at 1 ms resolution: a
 * timer that should fire every millisecond records how late it fires, so its
 * maximum is the longest time the loop was held (to within the resolution).
 * On a shared machine that includes time the OS did not run the process at
 * all, so a second measure, `busyMaxMs`, takes every gap between two ticks of
 * a 1 ms interval and counts only the CPU time the process used in it
 * (`process.cpuUsage`, all threads: an upper bound of the main thread's).
 */
import { createServer, type IncomingMessage } from "node:http";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

const PARSE_RUNS = 7;
const port = Number(process.env.SWITCHYARD_BENCH_LOOP_PORT);
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();

const ms = (ns: number) => ns / 1e6;

let busyMaxMs = 0;
let lastTick = performance.now();
let lastCpu = process.cpuUsage();
setInterval(() => {
  const now = performance.now();
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system - lastCpu.user - lastCpu.system) / 1000;
  busyMaxMs = Math.max(busyMaxMs, Math.min(now - lastTick, cpuMs));
  lastTick = now;
  lastCpu = cpu;
}, 1).unref();

async function bodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The median time of `parse()` over PARSE_RUNS calls, after one warm-up call. */
function medianMs(parse: () => unknown): number {
  parse();
  const runs: number[] = [];
  for (let i = 0; i < PARSE_RUNS; i++) {
    const start = performance.now();
    parse();
    runs.push(performance.now() - start);
  }
  runs.sort((a, b) => a - b);
  return runs[PARSE_RUNS >> 1] as number;
}

function timeParse(bytes: Buffer): { textMs: number; bytesMs: number } {
  const text = bytes.toString("utf8");
  return {
    textMs: medianMs(() => JSON.parse(text)),
    bytesMs: medianMs(() => JSON.parse(bytes.toString("utf8"))),
  };
}

const server = createServer((req, res) => {
  const answer = (value: unknown) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(value));
  };
  if (req.method === "POST" && req.url === "/reset") {
    delay.reset();
    busyMaxMs = 0;
    answer({});
  } else if (req.method === "GET" && req.url === "/read") {
    answer({
      maxMs: ms(delay.max),
      p99Ms: ms(delay.percentile(99)),
      meanMs: ms(delay.mean),
      samples: delay.count,
      busyMaxMs,
    });
  } else if (req.method === "POST" && req.url === "/parse") {
    bodyBytes(req).then((bytes) => answer(timeParse(bytes)));
  } else {
    res.writeHead(404).end();
  }
});
if (Number.isInteger(port) && port > 0) {
  server.listen(port, "127.0.0.1");
  server.unref();
}
