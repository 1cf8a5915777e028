import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, KEY_A, KEY_B, startHarness } from "./helpers/harness.js";
import { bearer, call, chat, routesApi } from "./helpers/http.js";

let h: Harness;
let completions: string;
let messages: string;

beforeAll(async () => {
  h = await startHarness();
  completions = `${h.url}/v1/chat/completions`;
  messages = `${h.url}/v1/messages`;
});
afterAll(() => h?.close());
beforeEach(async () => {
  h.mock.reset();
  await routesApi(h.url, KEY_A).clear();
});

/** A unique prompt per test, so entries never carry over between tests. */
let seq = 0;
const prompt = (what: string) => `${what} #${++seq} ${Date.now()}`;
const ask = (model: string, text: string, extra: Record<string, unknown> = {}) =>
  chat(model, text, { temperature: 0, ...extra });

describe("exact response cache", () => {
  it("200 identical concurrent deterministic requests make exactly 1 upstream call", async () => {
    const body = ask("slow-200", prompt("coalesce"));
    const replies = await Promise.all(
      Array.from({ length: 200 }, () => call(completions, "POST", body, bearer(KEY_A))),
    );
    expect(h.mock.count("slow200~latency=200")).toBe(1);
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(replies.map((r) => r.text)).size).toBe(1); // everyone got the same answer
    const caches = replies.map((r) => r.headers.get("x-switchyard-cache"));
    expect(caches.filter((c) => c === "miss")).toHaveLength(1);
    expect(caches.filter((c) => c === "hit")).toHaveLength(199);
    // Only the request that went upstream is billed.
    const costs = replies.map((r) => Number(r.headers.get("x-switchyard-cost-usd")));
    expect(costs.filter((c) => c > 0)).toHaveLength(1);
    // And afterwards the answer is stored: one more request, still 1 upstream call.
    const again = await call(completions, "POST", body, bearer(KEY_A));
    expect(again.headers.get("x-switchyard-cache")).toBe("hit");
    expect(again.text).toBe(replies[0]?.text);
    expect(h.mock.count("slow200~latency=200")).toBe(1);
  });

  it("a route with disable_cache makes all 200 go upstream", async () => {
    const created = await routesApi(h.url, KEY_A).create({
      name: "no-cache",
      when: { model_in: ["slow-200"] },
      then: { target_model: "slow-200", disable_cache: true },
    });
    expect(created.status).toBe(201);
    const body = ask("slow-200", prompt("no cache"));
    const replies = await Promise.all(
      Array.from({ length: 200 }, () => call(completions, "POST", body, bearer(KEY_A))),
    );
    expect(replies.every((r) => r.status === 200)).toBe(true);
    expect(replies.every((r) => r.headers.get("x-switchyard-cache") === "bypass")).toBe(true);
    expect(h.mock.count("slow200~latency=200")).toBe(200);
  });

  it("org A's cached answer is never served to org B for the same body", async () => {
    const body = ask("gpt-a", prompt("tenant"));
    const a1 = await call(completions, "POST", body, bearer(KEY_A));
    const a2 = await call(completions, "POST", body, bearer(KEY_A));
    const b1 = await call(completions, "POST", body, bearer(KEY_B));
    const b2 = await call(completions, "POST", body, bearer(KEY_B));
    expect(a1.headers.get("x-switchyard-cache")).toBe("miss");
    expect(a2.headers.get("x-switchyard-cache")).toBe("hit");
    expect(b1.headers.get("x-switchyard-cache")).toBe("miss");
    expect(b2.headers.get("x-switchyard-cache")).toBe("hit");
    expect(h.mock.count("gpt-a")).toBe(2);
    expect(a2.json.id).toBe(a1.json.id);
    expect(b1.json.id).not.toBe(a1.json.id); // B got its own upstream answer
    expect(b2.json.id).toBe(b1.json.id);
  });

  it("concurrent identical requests of two orgs are coalesced per org only", async () => {
    const body = ask("slow-200", prompt("two orgs"));
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(completions, "POST", body, bearer(i % 2 === 0 ? KEY_A : KEY_B)),
      ),
    );
    expect(h.mock.count("slow200~latency=200")).toBe(2);
    const ids = (key: number) =>
      new Set(replies.filter((_, i) => i % 2 === key).map((r) => r.json.id));
    expect(ids(0).size).toBe(1);
    expect(ids(1).size).toBe(1);
    expect([...ids(0)][0]).not.toBe([...ids(1)][0]);
  });

  it("the key is canonical: key order, whitespace, stream and user do not matter; other fields do", async () => {
    const text = prompt("canonical");
    const first = await call(
      completions,
      "POST",
      `{"temperature":0,"messages":[{"content":"${text}","role":"user"}],"model":"gpt-a"}`,
      bearer(KEY_A),
    );
    expect(first.headers.get("x-switchyard-cache")).toBe("miss");
    const reordered = await call(
      completions,
      "POST",
      `{ "model" : "gpt-a", "user": "someone", "messages": [ { "role": "user", "content": "${text}" } ], "temperature": 0 }`,
      bearer(KEY_A),
    );
    expect(reordered.headers.get("x-switchyard-cache")).toBe("hit");
    const otherMaxTokens = await call(
      completions,
      "POST",
      ask("gpt-a", text, { max_tokens: 5 }),
      bearer(KEY_A),
    );
    expect(otherMaxTokens.headers.get("x-switchyard-cache")).toBe("miss");
    const seeded = await call(completions, "POST", ask("gpt-a", text, { seed: 1 }), bearer(KEY_A));
    const otherSeed = await call(
      completions,
      "POST",
      ask("gpt-a", text, { seed: 2 }),
      bearer(KEY_A),
    );
    const sameSeed = await call(
      completions,
      "POST",
      ask("gpt-a", text, { seed: 1 }),
      bearer(KEY_A),
    );
    expect(seeded.headers.get("x-switchyard-cache")).toBe("miss");
    expect(otherSeed.headers.get("x-switchyard-cache")).toBe("miss");
    expect(sameSeed.headers.get("x-switchyard-cache")).toBe("hit");
    expect(h.mock.count("gpt-a")).toBe(4);
  });

  it("the determinism rule: temperature 0, or no temperature on a model marked deterministic", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [chat("gpt-a", prompt("no temperature")), "bypass"],
      [chat("gpt-a", prompt("warm"), { temperature: 0.7 }), "bypass"],
      [chat("gpt-a", prompt("two answers"), { temperature: 0, n: 2 }), "bypass"],
      [chat("gpt-a", prompt("seed only"), { temperature: 1, seed: 7 }), "bypass"],
      [chat("gpt-a", prompt("cold"), { temperature: 0, n: 1 }), "miss"],
      [chat("deterministic", prompt("deterministic model")), "miss"],
    ];
    for (const [body, expected] of cases) {
      const first = await call(completions, "POST", body, bearer(KEY_A));
      const second = await call(completions, "POST", body, bearer(KEY_A));
      expect(first.status).toBe(200);
      expect(first.headers.get("x-switchyard-cache"), JSON.stringify(body)).toBe(expected);
      expect(second.headers.get("x-switchyard-cache")).toBe(expected === "miss" ? "hit" : "bypass");
    }
  });

  it("cache-control: no-cache from the client bypasses the cache", async () => {
    const body = ask("gpt-a", prompt("no-cache header"));
    await call(completions, "POST", body, bearer(KEY_A));
    const fresh = await call(completions, "POST", body, {
      ...bearer(KEY_A),
      "cache-control": "no-cache",
    });
    expect(fresh.headers.get("x-switchyard-cache")).toBe("bypass");
    expect(h.mock.count("gpt-a")).toBe(2);
  });

  it("errors are never cached (and concurrent identical failures share one upstream call)", async () => {
    const body = ask("fail-400", prompt("error"));
    const first = await call(completions, "POST", body, bearer(KEY_A));
    const second = await call(completions, "POST", body, bearer(KEY_A));
    expect(first.status).toBe(400);
    expect(second.status).toBe(400);
    expect(h.mock.count("m400~fail=400")).toBe(2);
  });

  it("tool calls are never cached", async () => {
    const tools = [
      { type: "function", function: { name: "lookup", parameters: { type: "object" } } },
    ];
    const body = ask("with-tool", prompt("tool"), { tools });
    const first = await call(completions, "POST", body, bearer(KEY_A));
    const second = await call(completions, "POST", body, bearer(KEY_A));
    expect(first.json.choices[0].message.tool_calls).toHaveLength(1);
    expect(first.headers.get("x-switchyard-cache")).toBe("miss");
    expect(second.headers.get("x-switchyard-cache")).toBe("miss");
    expect(h.mock.count("wtool~tool")).toBe(2);
  });

  it("a streamed request is served from the cached non-streamed answer, as a stream (OpenAI SDK)", async () => {
    const text = prompt("replay openai");
    const client = new OpenAI({ apiKey: KEY_A, baseURL: `${h.url}/v1`, maxRetries: 0 });
    const plain = await client.chat.completions.create({
      model: "gpt-a",
      temperature: 0,
      messages: [{ role: "user", content: text }],
    });
    const { data: stream, response } = await client.chat.completions
      .create({
        model: "gpt-a",
        temperature: 0,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: text }],
      })
      .withResponse();
    expect(response.headers.get("x-switchyard-cache")).toBe("hit");
    let streamed = "";
    let finish: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      streamed += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(streamed).toBe(plain.choices[0]?.message.content);
    expect(finish).toBe("stop");
    expect(usage).toEqual(plain.usage);
    expect(h.mock.count("gpt-a")).toBe(1);
  });

  it("the same through the Anthropic SDK on /v1/messages", async () => {
    const text = prompt("replay anthropic");
    const client = new Anthropic({ apiKey: KEY_A, baseURL: h.url, maxRetries: 0 });
    const request = {
      model: "claude-a",
      max_tokens: 100,
      temperature: 0,
      messages: [{ role: "user" as const, content: text }],
    };
    const plain = await client.messages.create(request);
    const stream = client.messages.stream(request);
    const final = await stream.finalMessage();
    expect(final.content).toEqual(plain.content);
    expect(final.stop_reason).toBe(plain.stop_reason);
    expect(final.usage.output_tokens).toBe(plain.usage.output_tokens);
    expect(h.mock.count("claude-a")).toBe(1);
  });

  it("a streamed request never waits for the cache: on a miss it streams from upstream and stores nothing", async () => {
    const body = ask("gpt-a", prompt("stream miss"), { stream: true });
    const first = await call(completions, "POST", body, bearer(KEY_A));
    const second = await call(completions, "POST", body, bearer(KEY_A));
    expect(first.headers.get("x-switchyard-cache")).toBe("miss");
    expect(second.headers.get("x-switchyard-cache")).toBe("miss");
    expect(first.text).toContain("data: [DONE]");
    expect(h.mock.count("gpt-a")).toBe(2);
  });

  it("a model with a cache tariff: the stored answer carries its accounted usage and replays it", async () => {
    const body = {
      model: "cached-claude",
      max_tokens: 50,
      temperature: 0,
      system: [
        {
          type: "text",
          text: "You are a careful assistant for a garden centre; answer in one sentence and name the aisle. Plants are in aisle one, tools in aisle two, and soil in aisle three.",
          cache_control: { type: "ephemeral" },
        },
      ],
      messages: [{ role: "user", content: prompt("tariff and cache") }],
    };
    const first = await call(messages, "POST", body, bearer(KEY_A));
    const second = await call(messages, "POST", body, bearer(KEY_A));
    expect(first.headers.get("x-switchyard-cache")).toBe("miss");
    expect(first.json.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(Number(first.headers.get("x-switchyard-cost-usd"))).toBeGreaterThan(0);
    expect(second.headers.get("x-switchyard-cache")).toBe("hit");
    expect(second.json).toEqual(first.json);
    expect(second.headers.get("x-switchyard-cost-usd")).toBe("0");
    expect(h.mock.count("cached-claude")).toBe(1);
  });

  it("Anthropic bodies are cached per API: the same model through the other endpoint is its own entry", async () => {
    const text = prompt("per api");
    const anthropicBody = {
      model: "gpt-a",
      max_tokens: 50,
      temperature: 0,
      messages: [{ role: "user", content: text }],
    };
    const m1 = await call(messages, "POST", anthropicBody, bearer(KEY_A));
    const m2 = await call(messages, "POST", anthropicBody, bearer(KEY_A));
    expect(m1.json.type).toBe("message");
    expect(m2.headers.get("x-switchyard-cache")).toBe("hit");
    expect(m2.json).toEqual(m1.json);
    const c1 = await call(
      completions,
      "POST",
      ask("gpt-a", text, { max_tokens: 50 }),
      bearer(KEY_A),
    );
    expect(c1.headers.get("x-switchyard-cache")).toBe("miss");
    expect(c1.json.object).toBe("chat.completion");
  });
});
