import type { TrafficBucket } from "../stats-contract.js";
import { svg } from "./dom.js";
import { clockTime, formatInt } from "./format.js";

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { top: 12, right: 12, bottom: 24, left: 40 };

/** A round upper bound for the y axis: 1, 2, 5, 10, 20, 50, ... */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

/**
 * Requests per bucket as bars, with cache hits and fallbacks as lines on
 * top, drawn as one SVG (no chart library). Scales with its container.
 */
export function trafficChart(
  buckets: readonly TrafficBucket[],
  bucketSeconds: number,
): SVGSVGElement {
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(0, ...buckets.map((b) => b.requests)));
  const n = Math.max(buckets.length, 1);
  const slot = innerW / n;
  const barW = Math.max(1, slot * 0.7);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const xCenter = (i: number) => PAD.left + slot * i + slot / 2;
  const total = buckets.reduce((sum, b) => sum + b.requests, 0);
  const minutes = Math.round((buckets.length * bucketSeconds) / 60);
  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-label": `Requests per ${bucketSeconds} seconds over the last ${minutes} minutes: ${formatInt(total)} in all, at most ${formatInt(Math.max(0, ...buckets.map((b) => b.requests)))} in one interval.`,
    class: "chart-svg",
  });
  for (const fraction of [0, 0.5, 1]) {
    const value = max * fraction;
    chart.append(
      svg("line", {
        x1: PAD.left,
        x2: WIDTH - PAD.right,
        y1: y(value),
        y2: y(value),
        class: fraction === 0 ? "axis" : "grid",
      }),
      svg(
        "text",
        { x: PAD.left - 6, y: y(value) + 4, class: "tick", "text-anchor": "end" },
        formatInt(value),
      ),
    );
  }
  buckets.forEach((b, i) => {
    if (b.requests === 0) return;
    chart.append(
      svg(
        "rect",
        {
          x: xCenter(i) - barW / 2,
          y: y(b.requests),
          width: barW,
          height: Math.max(1, y(0) - y(b.requests)),
          rx: Math.min(2, barW / 3),
          class: "bar",
        },
        svg(
          "title",
          {},
          `${clockTime(new Date(b.start))}: ${b.requests} requests, ${b.cache_hits} cache hits, ${b.fallbacks} fallbacks`,
        ),
      ),
    );
  });
  const line = (key: "cache_hits" | "fallbacks", cls: string) =>
    svg("polyline", {
      points: buckets.map((b, i) => `${xCenter(i).toFixed(1)},${y(b[key]).toFixed(1)}`).join(" "),
      class: cls,
    });
  if (buckets.length > 0)
    chart.append(line("cache_hits", "line hits"), line("fallbacks", "line fallbacks"));
  const first = buckets[0];
  const last = buckets.at(-1);
  if (first && last) {
    chart.append(
      svg(
        "text",
        { x: PAD.left, y: HEIGHT - 6, class: "tick", "text-anchor": "start" },
        clockTime(new Date(first.start)),
      ),
      svg(
        "text",
        { x: WIDTH - PAD.right, y: HEIGHT - 6, class: "tick", "text-anchor": "end" },
        "now",
      ),
    );
  }
  return chart;
}
