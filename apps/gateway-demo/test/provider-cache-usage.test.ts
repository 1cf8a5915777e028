// Issue 14.11: a model's `cache_accounting` chooses whose cache numbers bill, the gateway's own
// (default) or the ones the upstream reports (Anthropic's cache fields, OpenAI's cached_tokens).
import { Writable } from "node:stream";
import Anthropic from "@anthropic-ai/sdk";
import { formatUsd } from "@switchyard/core";
import OpenAI from "openai";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateConfig } from "../src/config/validate-config.js";
import { MockUpstream } from "../src/mock/mock-upstream.js";
import { type Harness, KEY_A, startHarness, testConfig, testModels } from "./helpers/harness.js";
import { call } from "./helpers/http.js";
import { waitFor } from "./helpers/wait.js";

const PRICES = { input: 3, output: 15 };
const IN = PRICES.input / 1e6;
const OUT = PRICES.output / 1e6;

function model(provider: string, upstream: string, extra: Record<string, unknown> = {}) {
  return {
    provider,
    upstream_model: upstream,
    input_price_per_million: PRICES.input,
    output_price_per_million: PRICES.output,
    capabilities: { vision: true, tools: true, json_mode: true },
    context_window: 200_000,
    cache_tariff: { min_prefix_tokens: 32 },
    ...extra,
  };
}

const MODELS = {
  // The mock reports its own prompt caching for upstream names with `~provider_cache`.
  "prov-claude": model("an", "pclaude~provider_cache", { cache_accounting: "provider" }),
  "prov-gpt": model("oa", "pgpt~provider_cache", { cache_accounting: "provider" }),
  "gw-gpt": model("oa", "ggpt~provider_cache"),
};

const lines: Array<Record<string, unknown>> = [];
let h: Harness;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  h = await startHarness(
    { models: { ...testModels(), ...MODELS } },
    { logger: pino({ level: "info" }, sink) },
  );
  anthropic = new Anthropic({ apiKey: KEY_A, baseURL: h.url, maxRetries: 0 });
  openai = new OpenAI({ apiKey: KEY_A, baseURL: `${h.url}/v1`, maxRetries: 0 });
});
afterAll(() => h?.close());

/** A system prompt well above the providers' 1,024-token caching threshold; `tag` keeps tests apart. */
const longSystem = (tag: string) =>
  `${tag}: you answer questions about the opening hours of a town library. `.repeat(160);

/** The access-log line of a request, by its id. */
async function lineOf(id: string): Promise<Record<string, unknown>> {
  await waitFor(() => lines.some((l) => l.req_id === id));
  return lines.find((l) => l.req_id === id) as Record<string, unknown>;
}

/** The tariff's price of provider-reported numbers (default multipliers: reads 0.1, 5m writes 1.25, 1h writes 2). */
function priced(u: { uncached: number; read?: number; w5m?: number; w1h?: number; out: number }) {
  const cached = (u.read ?? 0) * 0.1 + (u.w5m ?? 0) * 1.25 + (u.w1h ?? 0) * 2;
  return formatUsd((u.uncached + cached) * IN + u.out * OUT);
}

describe('cache_accounting: "provider" bills what the upstream reports', () => {
  it("Anthropic: the first request writes, the next reads; usage, x-switchyard-cost-usd and the log use those numbers", async () => {
    const system = [
      {
        type: "text" as const,
        text: longSystem("anthropic"),
        cache_control: { type: "ephemeral" as const },
      },
    ];
    const ask = (content: string, id: string) =>
      anthropic.messages
        .create(
          { model: "prov-claude", max_tokens: 50, system, messages: [{ role: "user", content }] },
          { headers: { "x-request-id": id } },
        )
        .withResponse();
    const first = await ask("When do you open?", "prov-an-1");
    const usage1: Anthropic.Usage = first.data.usage;
    const written = usage1.cache_creation_input_tokens ?? 0;
    expect(written).toBeGreaterThan(1024);
    expect(usage1.cache_read_input_tokens).toBe(0);
    expect(usage1.cache_creation?.ephemeral_5m_input_tokens).toBe(written);
    // The markers reached the upstream: the provider caches, not the gateway.
    expect(JSON.stringify(h.mock.recent.at(-1)?.body)).toContain("cache_control");
    expect(first.response.headers.get("x-switchyard-cost-usd")).toBe(
      priced({ uncached: usage1.input_tokens, w5m: written, out: usage1.output_tokens }),
    );

    const second = await ask("And on Sundays?", "prov-an-2");
    const usage2: Anthropic.Usage = second.data.usage;
    expect(usage2.cache_read_input_tokens).toBe(written);
    expect(usage2.cache_creation_input_tokens).toBe(0);
    const cost = priced({
      uncached: usage2.input_tokens,
      read: written,
      out: usage2.output_tokens,
    });
    expect(second.response.headers.get("x-switchyard-cost-usd")).toBe(cost);
    const line = await lineOf("prov-an-2");
    expect(line.cost_usd).toBe(Number(cost));
    expect(line.usage).toEqual({
      input: usage2.input_tokens + written,
      output: usage2.output_tokens,
      cache_read: written,
      cache_write: 0,
    });
    expect(line.prompt_cache).toMatchObject({ outcome: "provider", read: written, written: 0 });
  });

  it("Anthropic stream with a 1-hour breakpoint: the log's cost prices the provider's 1h write", async () => {
    const stream = anthropic.messages.stream(
      {
        model: "prov-claude",
        max_tokens: 50,
        system: [
          {
            type: "text",
            text: longSystem("one hour"),
            cache_control: { type: "ephemeral", ttl: "1h" },
          },
        ],
        messages: [{ role: "user", content: "Is there a reading room?" }],
      },
      { headers: { "x-request-id": "prov-an-stream" } },
    );
    const message = await stream.finalMessage();
    const usage: Anthropic.Usage = message.usage;
    const written = usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
    expect(written).toBeGreaterThan(1024);
    expect(usage.cache_creation_input_tokens).toBe(written);
    const line = await lineOf("prov-an-stream");
    expect(line.cost_usd).toBe(
      Number(priced({ uncached: usage.input_tokens, w1h: written, out: usage.output_tokens })),
    );
    expect(line.prompt_cache).toMatchObject({ outcome: "provider", read: 0, written });
  });

  it("OpenAI: automatic caching reported as cached_tokens bills as reads, streamed or not", async () => {
    const messages = (question: string) => [
      { role: "system" as const, content: longSystem("openai") },
      { role: "user" as const, content: question },
    ];
    const first = await openai.chat.completions.create({
      model: "prov-gpt",
      messages: messages("When do you open?"),
    });
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    const { data, response } = await openai.chat.completions
      .create({ model: "prov-gpt", messages: messages("And on Sundays?") })
      .withResponse();
    const usage = data.usage as OpenAI.CompletionUsage;
    const read = usage.prompt_tokens_details?.cached_tokens ?? 0;
    expect(read).toBeGreaterThanOrEqual(1024);
    expect((read - 1024) % 128).toBe(0);
    expect(response.headers.get("x-switchyard-cost-usd")).toBe(
      priced({ uncached: usage.prompt_tokens - read, read, out: usage.completion_tokens }),
    );

    const stream = await openai.chat.completions.create(
      {
        model: "prov-gpt",
        messages: messages("Can I renew a loan?"),
        stream: true,
        stream_options: { include_usage: true },
      },
      { headers: { "x-request-id": "prov-oa-stream" } },
    );
    let streamed: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) if (chunk.usage) streamed = chunk.usage;
    expect(streamed?.prompt_tokens_details?.cached_tokens).toBe(read);
    const line = await lineOf("prov-oa-stream");
    expect(line.cost_usd).toBe(
      Number(
        priced({
          uncached: (streamed?.prompt_tokens ?? 0) - read,
          read,
          out: streamed?.completion_tokens ?? 0,
        }),
      ),
    );
  });

  it("translated (Anthropic client, OpenAI upstream): the reads arrive as cache_read_input_tokens and bill so", async () => {
    const ask = (content: string) =>
      anthropic.messages
        .create({
          model: "prov-gpt",
          max_tokens: 50,
          system: longSystem("translated"),
          messages: [{ role: "user", content }],
        })
        .withResponse();
    await ask("When do you open?");
    const { data, response } = await ask("And on Sundays?");
    const read = data.usage.cache_read_input_tokens ?? 0;
    expect(read).toBeGreaterThanOrEqual(1024);
    expect(response.headers.get("x-switchyard-cost-usd")).toBe(
      priced({ uncached: data.usage.input_tokens, read, out: data.usage.output_tokens }),
    );
  });

  it("/metrics counts the provider's reads and writes", async () => {
    const text = (await call(`${h.url}/metrics`, "GET")).text;
    const read = /switchyard_prompt_cache_read_tokens_total\{model="prov-claude"\} (\d+)/.exec(
      text,
    );
    const written =
      /switchyard_prompt_cache_written_tokens_total\{model="prov-claude",ttl="1h"\} (\d+)/.exec(
        text,
      );
    expect(Number(read?.[1])).toBeGreaterThan(1024);
    expect(Number(written?.[1])).toBeGreaterThan(1024);
  });
});

describe('cache_accounting: "gateway" (the default) keeps the gateway\'s own numbers', () => {
  it("the upstream's cached_tokens are not billed: without markers the gateway bills the whole prompt", async () => {
    const messages = (question: string) => [
      { role: "system" as const, content: longSystem("gateway") },
      { role: "user" as const, content: question },
    ];
    await openai.chat.completions.create({ model: "gw-gpt", messages: messages("Hours?") });
    const { data, response } = await openai.chat.completions
      .create({ model: "gw-gpt", messages: messages("Sundays?") })
      .withResponse();
    const usage = data.usage as OpenAI.CompletionUsage;
    expect(usage.prompt_tokens).toBeGreaterThan(1024);
    expect(usage.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(response.headers.get("x-switchyard-cost-usd")).toBe(
      priced({ uncached: usage.prompt_tokens, out: usage.completion_tokens }),
    );
  });
});

describe("cache_accounting in the catalog", () => {
  const issues = async (extra: Record<string, unknown>): Promise<string> => {
    const mock = await MockUpstream.start();
    try {
      const raw = testConfig(mock, { models: { m: model("an", "m", extra) } });
      validateConfig(raw, { source: "test", env: {} });
      return "";
    } catch (error) {
      return String((error as Error).message);
    } finally {
      await mock.close();
    }
  };

  it("accepts gateway and provider, defaults to gateway, and rejects anything else naming the field", async () => {
    expect(await issues({ cache_accounting: "provider" })).toBe("");
    expect(await issues({ cache_accounting: "gateway" })).toBe("");
    expect(h.gateway.services.config.models.get("gw-gpt")?.cacheAccounting).toBe("gateway");
    expect(await issues({ cache_accounting: "invoice" })).toContain(
      "models.m.cache_accounting: must be one of gateway, provider",
    );
  });

  it('"provider" needs a cache_tariff to price the reads and writes', async () => {
    expect(await issues({ cache_accounting: "provider", cache_tariff: undefined })).toContain(
      'models.m.cache_accounting: "provider" needs models.m.cache_tariff',
    );
  });
});
