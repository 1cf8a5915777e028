import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../src/config/validate-config.js";
import {
  CACHED_PRICES,
  type Harness,
  KEY_A,
  KEY_B,
  ORG_A,
  ORG_B,
  startHarness,
  testConfig,
} from "./helpers/harness.js";
import { bearer, call, chat, type Reply, routesApi } from "./helpers/http.js";
import { waitFor } from "./helpers/wait.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const stats = (key: string) =>
  call(`${h.url}/v1/dashboard/stats`, "GET", undefined, bearer(key)).then((r) => r.json);

const SYSTEM =
  "You are a patient assistant for a hardware shop. Answer in one short paragraph, mention the aisle when you know it, and never promise delivery dates. Keep a friendly tone and avoid jargon; if a question is unclear, ask one clarifying question first.";

describe("GET /v1/dashboard/stats", () => {
  it("answers 401 without a key or with an unknown one, in the OpenAI envelope", async () => {
    for (const headers of [{}, bearer("sk-nobody")]) {
      const reply = await call(`${h.url}/v1/dashboard/stats`, "GET", undefined, headers);
      expect(reply.status).toBe(401);
      expect(reply.json.error.code).toBe("invalid_api_key");
    }
  });

  it("counts the org's completion requests: routes, fallbacks, response and prompt cache, cost; another org sees none of it", async () => {
    const a = routesApi(h.url, KEY_A);
    const routed = await a.create({
      name: "a-to-b",
      when: { model_in: ["gpt-a"] },
      then: { target_model: "gpt-b" },
    });
    await a.create({
      name: "failing-first",
      when: { model_in: ["fail-500"] },
      then: { target_model: "fail-500", fallbacks: ["gpt-c"] },
    });
    const completions = `${h.url}/v1/chat/completions`;
    const sent: Reply[] = [];
    const send = async (url: string, body: unknown, headers = bearer(KEY_A)) => {
      const reply = await call(url, "POST", body, headers);
      sent.push(reply);
      return reply;
    };
    const deterministic = chat("gpt-a", `stats ${Date.now()}`, { temperature: 0 });
    expect((await send(completions, deterministic)).headers.get("x-switchyard-cache")).toBe("miss");
    expect((await send(completions, deterministic)).headers.get("x-switchyard-cache")).toBe("hit");
    expect((await send(completions, chat("fail-500", "hello"))).status).toBe(200);
    expect((await send(completions, chat("no-such-model", "hello"))).status).toBe(404);
    const cached = (content: string) => ({
      model: "cached-claude",
      max_tokens: 50,
      system: [{ type: "text", text: SYSTEM, cache_control: { type: "ephemeral" } }],
      messages: [{ role: "user", content }],
    });
    const anthropic = { ...bearer(KEY_A), "anthropic-version": "2023-06-01" };
    const commits = () => h.gateway.services.promptCache.metrics().stats.commitsApplied;
    const before = commits();
    const write = await send(`${h.url}/v1/messages`, cached("first"), anthropic);
    expect(write.json.usage.cache_creation_input_tokens, write.text).toBeGreaterThan(0);
    await waitFor(() => commits() > before, 5_000, "prompt-cache commit");
    const read = await send(`${h.url}/v1/messages`, cached("second"), anthropic);
    // Not counted: management, explain, models, stats, and another org's requests.
    await call(`${h.url}/v1/routes/explain`, "POST", chat("gpt-a", "x"), bearer(KEY_A));
    await call(`${h.url}/v1/models`, "GET", undefined, bearer(KEY_A));
    await call(completions, "POST", chat("gpt-a", "org b"), bearer(KEY_B));

    await waitFor(async () => (await stats(KEY_A)).totals.requests === sent.length);
    const mine = await stats(KEY_A);
    expect(mine.object).toBe("dashboard.stats");
    expect(mine.org).toEqual({ id: ORG_A, name: "org-a" });
    const written = write.json.usage.cache_creation_input_tokens;
    const readTokens = read.json.usage.cache_read_input_tokens;
    expect(written).toBeGreaterThan(0);
    expect(readTokens).toBe(written);
    const inPrice = CACHED_PRICES.input / 1e6;
    const totalCost = sent.reduce(
      (sum, r) => sum + Number(r.headers.get("x-switchyard-cost-usd") ?? 0),
      0,
    );
    expect(mine.totals).toMatchObject({
      requests: 6,
      errors: 1,
      routed: 3,
      fallbacks: 1,
      response_cache: { hits: 1, misses: 1, hit_ratio: 0.5 },
      prompt_cache: { read_tokens: readTokens, written_tokens: written },
    });
    expect(mine.totals.response_cache.saved_usd).toBeCloseTo(
      Number(sent[0]?.headers.get("x-switchyard-cost-usd")),
      12,
    );
    // Net saving at the default tariff: reads save 0.9x the input price, 5-minute writes cost 0.25x extra.
    expect(mine.totals.prompt_cache.saved_usd).toBeCloseTo(
      readTokens * inPrice * 0.9 - written * inPrice * 0.25,
      12,
    );
    expect(mine.totals.cost_usd).toBeCloseTo(totalCost, 12);
    expect(mine.routes).toEqual([
      { id: routed.json.id, name: "a-to-b", matches: 2, fallbacks: 0 },
      expect.objectContaining({ name: "failing-first", matches: 1, fallbacks: 1 }),
    ]);
    const buckets = mine.series.buckets as Array<{ requests: number }>;
    expect(buckets.reduce((sum, b) => sum + b.requests, 0)).toBe(6);

    const theirs = await stats(KEY_B);
    expect(theirs.org).toEqual({ id: ORG_B, name: "org-b" });
    expect(theirs.totals).toMatchObject({ requests: 1, routed: 0, fallbacks: 0 });
    expect(theirs.routes).toEqual([]);
    expect(JSON.stringify(theirs)).not.toContain(ORG_A);
  });
});

describe("GET /dashboard", () => {
  /** A built page of its own (dashboard.assets_dir), so the test never races the dashboard package's build. */
  let page: Harness;
  let assets: string;
  beforeAll(async () => {
    assets = mkdtempSync(join(tmpdir(), "switchyard-dashboard-"));
    mkdirSync(join(assets, "assets"));
    writeFileSync(join(assets, "index.html"), "<!doctype html><title>fixture page</title>");
    writeFileSync(join(assets, "assets", "app-1a2b3c.js"), "console.log('fixture');");
    page = await startHarness({ dashboard: { assets_dir: assets } });
  });
  afterAll(async () => {
    await page?.close();
    rmSync(assets, { recursive: true, force: true });
  });

  it("serves the page and its files without a key, GET and HEAD only, nothing outside the directory", async () => {
    for (const path of ["/dashboard", "/dashboard/", "/dashboard/index.html"]) {
      const reply = await call(`${page.url}${path}`, "GET");
      expect(reply.status, path).toBe(200);
      expect(reply.text).toContain("fixture page");
      expect(reply.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(reply.headers.get("content-security-policy")).toContain("connect-src 'self'");
    }
    const asset = await call(`${page.url}/dashboard/assets/app-1a2b3c.js`, "GET");
    expect(asset.status).toBe(200);
    expect(asset.text).toBe("console.log('fixture');");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    const head = await call(`${page.url}/dashboard/assets/app-1a2b3c.js`, "HEAD");
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    const post = await call(`${page.url}/dashboard`, "POST");
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    for (const path of [
      "/dashboard/assets/no-such.js",
      "/dashboard/..%2f..%2fpackage.json",
      "/dashboard/assets/..%2findex.html",
      "/dashboard/.env",
    ]) {
      expect((await call(`${page.url}${path}`, "GET")).status, path).toBe(404);
    }
  });

  it("dashboard.enabled false: no page, no stats endpoint, no counting", async () => {
    const off = await startHarness({ dashboard: { enabled: false } });
    try {
      expect(off.gateway.services.dashboardStats).toBeUndefined();
      expect((await call(`${off.url}/dashboard`, "GET")).status).toBe(404);
      const reply = await call(`${off.url}/v1/dashboard/stats`, "GET", undefined, bearer(KEY_A));
      expect(reply.status).toBe(404);
      expect(
        (await call(`${off.url}/v1/chat/completions`, "POST", chat("gpt-a", "x"), bearer(KEY_A)))
          .status,
      ).toBe(200);
    } finally {
      await off.close();
    }
  });

  it("a bad dashboard section is a config error naming the field", () => {
    const check = (dashboard: unknown) => () =>
      validateConfig({ ...testConfig(page.mock), dashboard }, { source: "test", env: {} });
    expect(check({ enabled: "yes" })).toThrow(/dashboard\.enabled/);
    expect(check({ assets: "x" })).toThrow(/dashboard\.assets/);
    expect(check({ assets_dir: "" })).toThrow(/dashboard\.assets_dir/);
  });
});

describe("explain lists disabled routes as skipped", () => {
  it("a disabled route above the match has the verdict `enabled`", async () => {
    const a = routesApi(h.url, KEY_A);
    await a.clear();
    const off = await a.create({
      name: "off",
      priority: 500,
      enabled: false,
      then: { target_model: "gpt-c" },
    });
    await a.create({ name: "on", then: { target_model: "gpt-b" } });
    const reply = await call(
      `${h.url}/v1/routes/explain`,
      "POST",
      chat("gpt-a", "x"),
      bearer(KEY_A),
    );
    expect(reply.json.decision).toMatchObject({ outcome: "routed", route: "on" });
    expect(reply.json.verdicts).toEqual([
      expect.objectContaining({ id: off.json.id, enabled: false, failed_condition: "enabled" }),
      expect.objectContaining({ name: "on", matched: true }),
    ]);
    // Another org's explain never lists them.
    const other = await call(
      `${h.url}/v1/routes/explain`,
      "POST",
      chat("gpt-a", "x"),
      bearer(KEY_B),
    );
    expect(other.json.verdicts).toEqual([]);
  });
});
