import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { FastHistogram } from "../src/metrics/fast-histogram.js";
import { parsePrometheus } from "./helpers/prometheus.js";

describe("FastHistogram", () => {
  it("FastHistogram writes prom-client's histogram text", async () => {
    const registry = new Registry();
    const h = new FastHistogram("t_seconds", "A test.", [0.1, 1], registry);
    h.countsAs("t_total", "Counts.", registry);
    const series = h.seriesFor("x", { route: "x" });
    series.observe(0.05);
    series.observe(0.5);
    series.observe(5);
    const m = parsePrometheus(await registry.metrics());
    expect(m.types.get("t_seconds")).toBe("histogram");
    expect(m.value("t_seconds_bucket", { route: "x", le: "0.1" })).toBe(1);
    expect(m.value("t_seconds_bucket", { route: "x", le: "1" })).toBe(2);
    expect(m.value("t_seconds_bucket", { route: "x", le: "+Inf" })).toBe(3);
    expect(m.value("t_seconds_count", { route: "x" })).toBe(3);
    expect(m.value("t_seconds_sum", { route: "x" })).toBeCloseTo(5.55);
    expect(m.value("t_total", { route: "x" })).toBe(3);
  });
});
