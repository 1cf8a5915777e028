import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call, chat, routesApi } from "./helpers/http.js";
import { type Exposition, parsePrometheus } from "./helpers/prometheus.js";
import { waitFor } from "./helpers/wait.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

async function scrape(url = h.url): Promise<Exposition> {
  const reply = await call(`${url}/metrics`, "GET");
  expect(reply.status).toBe(200);
  expect(reply.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(reply.text);
}

const completions = () => `${h.url}/v1/chat/completions`;
// Above the test models' 32-token floor on its own.
const SYSTEM =
  "You are the assistant of a bicycle repair shop. You explain repairs step by step, list the tools needed, estimate how long each repair takes, and always recommend a professional check for brakes and anything that affects safety on the road. The shop is open Tuesday to Saturday, repairs are booked at the counter, and spare parts are ordered on Mondays only.";

describe("GET /metrics", () => {
  it("is Prometheus text with every family the README lists", async () => {
    const m = await scrape();
    for (const [name, type] of [
      ["switchyard_requests_total", "counter"],
      ["switchyard_request_duration_seconds", "histogram"],
      ["switchyard_gateway_overhead_seconds", "histogram"],
      ["switchyard_fallbacks_total", "counter"],
      ["switchyard_route_matches_total", "counter"],
      ["switchyard_cost_usd_total", "counter"],
      ["switchyard_response_cache_requests_total", "counter"],
      ["switchyard_response_cache_stores_total", "counter"],
      ["switchyard_prompt_cache_read_tokens_total", "counter"],
      ["switchyard_prompt_cache_written_tokens_total", "counter"],
      ["switchyard_prompt_cache_classifications_total", "counter"],
      ["switchyard_prompt_cache_commits_total", "counter"],
      ["switchyard_prompt_cache_invalid_markers_total", "counter"],
      ["switchyard_l1_cache_hits_total", "counter"],
      ["switchyard_l1_cache_misses_total", "counter"],
      ["switchyard_l1_cache_coalesced_total", "counter"],
      ["switchyard_l1_cache_loads_total", "counter"],
      ["switchyard_l1_cache_load_errors_total", "counter"],
      ["switchyard_l1_cache_discarded_loads_total", "counter"],
      ["switchyard_l1_cache_evictions_total", "counter"],
      ["switchyard_l1_cache_expirations_total", "counter"],
      ["switchyard_l1_cache_entries", "gauge"],
      ["switchyard_l1_cache_in_flight", "gauge"],
      ["switchyard_upstream_circuit_state", "gauge"],
      ["process_cpu_user_seconds_total", "counter"],
      ["nodejs_eventloop_lag_seconds", "gauge"],
    ] as const) {
      expect(m.types.get(name), name).toBe(type);
    }
    // Without prompt_cache.redis_url there is no Redis breaker to report.
    expect(m.types.has("switchyard_prompt_cache_redis_breaker_state")).toBe(false);
    expect(m.value("switchyard_upstream_circuit_state", { provider: "oa", state: "closed" })).toBe(
      1,
    );
  });

  it("request counters, latency and overhead histograms move with traffic", async () => {
    const before = await scrape();
    const labels = {
      endpoint: "/v1/chat/completions",
      route: "none",
      model: "gpt-a",
      status: "200",
    };
    for (let i = 0; i < 3; i++) {
      expect((await call(completions(), "POST", chat("gpt-a", "hi"), bearer(KEY_A))).status).toBe(
        200,
      );
    }
    await call(completions(), "POST", chat("no-such-model", "hi"), bearer(KEY_A));
    await call(`${h.url}/nowhere`, "GET");
    await waitFor(
      async () =>
        (await scrape()).value("switchyard_requests_total", labels) >=
        before.value("switchyard_requests_total", labels) + 3,
    );
    const after = await scrape();
    const delta = (name: string, l: Record<string, string> = {}) =>
      after.value(name, l) - before.value(name, l);
    expect(delta("switchyard_requests_total", labels)).toBe(3);
    expect(delta("switchyard_request_duration_seconds_count", labels)).toBe(3);
    expect(delta("switchyard_request_duration_seconds_bucket", { ...labels, le: "+Inf" })).toBe(3);
    expect(delta("switchyard_request_duration_seconds_sum", labels)).toBeGreaterThan(0);
    // Unknown model names never become label values.
    expect(delta("switchyard_requests_total", { model: "other", status: "404" })).toBe(1);
    expect(delta("switchyard_requests_total", { endpoint: "other", status: "404" })).toBe(1);
    expect(
      delta("switchyard_gateway_overhead_seconds_count", {
        api: "openai",
        stream: "false",
        cache: "bypass",
      }),
    ).toBe(3);
    expect(delta("switchyard_cost_usd_total", { model: "gpt-a" })).toBeGreaterThan(0);
    // No temperature: not deterministic (the unknown model's request got this far too).
    expect(delta("switchyard_response_cache_requests_total", { result: "bypass" })).toBe(4);
  });

  it("fallbacks and route matches are counted by route", async () => {
    const api = routesApi(h.url, KEY_A);
    await api.clear();
    const created = await api.create({
      name: "flaky-to-b",
      when: { model_in: ["fail-500"] },
      then: { target_model: "fail-500", fallbacks: ["gpt-b"] },
    });
    expect(created.status).toBe(201);
    const before = await scrape();
    const reply = await call(completions(), "POST", chat("fail-500", "hi"), bearer(KEY_A));
    expect(reply.headers.get("x-switchyard-model-used")).toBe("gpt-b");
    await waitFor(
      async () =>
        (await scrape()).value("switchyard_fallbacks_total") >
        before.value("switchyard_fallbacks_total"),
    );
    const after = await scrape();
    expect(
      after.value("switchyard_fallbacks_total", { route: "flaky-to-b", model: "gpt-b" }) -
        before.value("switchyard_fallbacks_total", { route: "flaky-to-b", model: "gpt-b" }),
    ).toBe(1);
    expect(
      after.value("switchyard_route_matches_total", { route: "flaky-to-b", forced: "false" }) -
        before.value("switchyard_route_matches_total", { route: "flaky-to-b", forced: "false" }),
    ).toBe(1);
    await api.clear();
  });

  it("response-cache hits, misses and coalesced requests, and the L1 stats behind them", async () => {
    const before = await scrape();
    const body = chat("slow-200", `metrics coalescing ${Date.now()}`, { temperature: 0 });
    await Promise.all(
      Array.from({ length: 10 }, () => call(completions(), "POST", body, bearer(KEY_A))),
    );
    await call(completions(), "POST", body, bearer(KEY_A));
    const after = await scrape();
    const delta = (name: string, l: Record<string, string> = {}) =>
      after.value(name, l) - before.value(name, l);
    expect(delta("switchyard_response_cache_requests_total", { result: "miss" })).toBe(1);
    expect(delta("switchyard_response_cache_requests_total", { result: "coalesced" })).toBe(9);
    expect(delta("switchyard_response_cache_requests_total", { result: "hit" })).toBe(1);
    expect(delta("switchyard_response_cache_stores_total", { result: "stored" })).toBe(1);
    expect(delta("switchyard_l1_cache_coalesced_total", { cache: "responses" })).toBe(9);
    expect(delta("switchyard_l1_cache_loads_total", { cache: "responses" })).toBe(1);
    expect(
      after.value("switchyard_l1_cache_entries", { cache: "responses" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      after.value("switchyard_l1_cache_hits_total", { cache: "route_engines" }),
    ).toBeGreaterThan(0);
  });

  it("prompt-cache read and written tokens follow the usage the client saw", async () => {
    const body = {
      model: "cached-claude",
      max_tokens: 50,
      system: [{ type: "text", text: SYSTEM, cache_control: { type: "ephemeral", ttl: "1h" } }],
      messages: [{ role: "user", content: `My chain skips, what now? ${Date.now()}` }],
    };
    const commits = () => h.gateway.services.promptCache.metrics().stats.commitsApplied;
    const before = await scrape();
    const c0 = commits();
    const first = await call(`${h.url}/v1/messages`, "POST", body, bearer(KEY_A));
    await waitFor(() => commits() > c0);
    const second = await call(`${h.url}/v1/messages`, "POST", body, bearer(KEY_A));
    await waitFor(() => commits() > c0 + 1);
    const written = first.json.usage.cache_creation.ephemeral_1h_input_tokens;
    const read = second.json.usage.cache_read_input_tokens;
    expect(written).toBeGreaterThan(0);
    expect(read).toBe(written);
    const after = await scrape();
    const delta = (name: string, l: Record<string, string> = {}) =>
      after.value(name, l) - before.value(name, l);
    expect(
      delta("switchyard_prompt_cache_written_tokens_total", { model: "cached-claude", ttl: "1h" }),
    ).toBe(written);
    expect(delta("switchyard_prompt_cache_read_tokens_total", { model: "cached-claude" })).toBe(
      read,
    );
    expect(delta("switchyard_prompt_cache_classifications_total", { outcome: "write" })).toBe(1);
    expect(delta("switchyard_prompt_cache_classifications_total", { outcome: "pure_read" })).toBe(
      1,
    );
    expect(delta("switchyard_prompt_cache_commits_total", { result: "committed" })).toBe(2);

    await call(
      `${h.url}/v1/messages`,
      "POST",
      { ...body, system: [{ type: "text", text: SYSTEM, cache_control: { type: "nope" } }] },
      bearer(KEY_A),
    );
    expect((await scrape()).value("switchyard_prompt_cache_invalid_markers_total")).toBe(
      after.value("switchyard_prompt_cache_invalid_markers_total") + 1,
    );
  });

  it("metrics.enabled: false removes the endpoint", async () => {
    const off = await startHarness({ metrics: { enabled: false } });
    try {
      expect((await call(`${off.url}/metrics`, "GET")).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
