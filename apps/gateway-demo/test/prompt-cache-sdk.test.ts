import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHED_PRICES, type Harness, KEY_A, KEY_B, startHarness } from "./helpers/harness.js";
import { waitFor } from "./helpers/wait.js";

let h: Harness;
let anthropic: Anthropic;
let openai: OpenAI;

beforeAll(async () => {
  h = await startHarness();
  anthropic = new Anthropic({ apiKey: KEY_A, baseURL: h.url, maxRetries: 0 });
  openai = new OpenAI({ apiKey: KEY_A, baseURL: `${h.url}/v1`, maxRetries: 0 });
});
afterAll(() => h?.close());

const TURNS = 40;
const SYSTEM =
  "You are a patient assistant for a hardware shop. Answer in one short paragraph, mention the aisle when you know it, and never promise delivery dates. Keep a friendly tone and avoid jargon; if a question is unclear, ask one clarifying question first.";
const question = (turn: number) => `Question ${turn}: where do I find item number ${turn * 7}?`;

const EPHEMERAL = { type: "ephemeral" as const };
const IN = CACHED_PRICES.input / 1e6;
const OUT = CACHED_PRICES.output / 1e6;

/** The prefix-index pricing formula with the default multipliers (5m writes 1.25x, reads 0.1x). */
function expectedCost(uncached: number, read: number, written5m: number, completion: number) {
  return uncached * IN + read * IN * 0.1 + written5m * IN * 1.25 + completion * OUT;
}

/** Commits run after the response: the next turn must see the previous one's entry. */
async function committed(before: number): Promise<void> {
  await waitFor(() => h.gateway.services.promptCache.metrics().stats.commitsApplied > before);
}

const commits = () => h.gateway.services.promptCache.metrics().stats.commitsApplied;

describe("prompt-cache accounting through the official SDKs", () => {
  it("Anthropic SDK, 40 turns with a breakpoint on the last message: creation on turn 1, then reads of the previous turn's prefix", async () => {
    const history: Anthropic.MessageParam[] = [];
    let previousPrefix = 0; // cached tokens up to and including the previous turn's breakpoint
    for (let turn = 1; turn <= TURNS; turn++) {
      const messages: Anthropic.MessageParam[] = [
        ...history,
        {
          role: "user",
          content: [{ type: "text", text: question(turn), cache_control: EPHEMERAL }],
        },
      ];
      const before = commits();
      const { data, response } = await anthropic.messages
        .create({ model: "cached-claude", max_tokens: 200, system: SYSTEM, messages })
        .withResponse();
      const usage = data.usage;
      const read = usage.cache_read_input_tokens ?? 0;
      const created = usage.cache_creation_input_tokens ?? 0;
      if (turn === 1) {
        expect(read, "turn 1 reads nothing").toBe(0);
        expect(created, "turn 1 creates the prefix").toBeGreaterThan(0);
      } else {
        expect(read, `turn ${turn} reads the previous turn's prefix`).toBe(previousPrefix);
        expect(created, `turn ${turn} writes its new tail`).toBeGreaterThan(0);
      }
      expect(usage.cache_creation?.ephemeral_5m_input_tokens).toBe(created);
      expect(usage.cache_creation?.ephemeral_1h_input_tokens).toBe(0);
      // input_tokens is the uncached rest: the three input counts never overlap.
      const cost = Number(response.headers.get("x-switchyard-cost-usd"));
      expect(cost).toBeCloseTo(
        expectedCost(usage.input_tokens, read, created, usage.output_tokens),
        12,
      );
      previousPrefix = read + created;
      await committed(before);
      const reply = data.content.map((block) => (block.type === "text" ? block.text : "")).join("");
      history.push(
        { role: "user", content: question(turn) },
        { role: "assistant", content: reply },
      );
    }
    // The markers never reached the upstream.
    const last = h.mock.recent.at(-1);
    expect(JSON.stringify(last?.body)).not.toContain("cache_control");
  });

  it("OpenAI SDK, 40 turns: prompt_tokens_details.cached_tokens reports the read, costs match the formula", async () => {
    const history: OpenAI.ChatCompletionMessageParam[] = [{ role: "system", content: SYSTEM }];
    let previousPrefix = 0;
    for (let turn = 1; turn <= TURNS; turn++) {
      const last = {
        role: "user",
        content: [{ type: "text", text: question(turn), cache_control: EPHEMERAL }],
      } as unknown as OpenAI.ChatCompletionMessageParam;
      const before = commits();
      const { data, response } = await openai.chat.completions
        .create({ model: "cached-gpt", messages: [...history, last] })
        .withResponse();
      const usage = data.usage as OpenAI.CompletionUsage & {
        cache_read_input_tokens: number;
        cache_creation_input_tokens: number;
      };
      const read = usage.prompt_tokens_details?.cached_tokens ?? -1;
      const created = usage.cache_creation_input_tokens;
      expect(usage.cache_read_input_tokens).toBe(read);
      if (turn === 1) {
        expect(read).toBe(0);
        expect(created).toBeGreaterThan(0);
      } else {
        expect(read, `turn ${turn}`).toBe(previousPrefix);
        expect(created).toBeGreaterThan(0);
      }
      // prompt_tokens stays the whole input.
      const uncached = usage.prompt_tokens - read - created;
      expect(uncached).toBeGreaterThanOrEqual(0);
      const cost = Number(response.headers.get("x-switchyard-cost-usd"));
      expect(cost).toBeCloseTo(expectedCost(uncached, read, created, usage.completion_tokens), 12);
      previousPrefix = read + created;
      await committed(before);
      history.push(
        { role: "user", content: question(turn) },
        { role: "assistant", content: data.choices[0]?.message.content ?? "" },
      );
    }
  });

  it("streams report the split too (both SDKs), and the first turn of another org reads nothing", async () => {
    const messages: Anthropic.MessageParam[] = [
      {
        role: "user",
        content: [
          {
            type: "text",
            text: "Hello there, shop assistant. I am looking for a ladder and some paint.",
            cache_control: EPHEMERAL,
          },
        ],
      },
    ];
    const request = { model: "cached-claude", max_tokens: 100, system: SYSTEM, messages };
    const before = commits();
    const first = await anthropic.messages.stream(request).finalMessage();
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    await committed(before);
    const second = await anthropic.messages.stream(request).finalMessage();
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);

    // Same prefix, another org: its own scope, nothing to read.
    const otherOrg = new Anthropic({ apiKey: KEY_B, baseURL: h.url, maxRetries: 0 });
    const other = await otherOrg.messages.create(request);
    expect(other.usage.cache_read_input_tokens).toBe(0);
    expect(other.usage.cache_creation_input_tokens).toBeGreaterThan(0);

    // OpenAI streaming: the usage chunk (forced on) carries cached_tokens.
    const body = {
      model: "cached-gpt",
      stream: true as const,
      messages: [
        { role: "system", content: SYSTEM },
        {
          role: "user",
          content: [
            {
              type: "text",
              text: "A streamed question about garden hoses and their fittings. Please include the aisle numbers and any safety advice.",
              cache_control: EPHEMERAL,
            },
          ],
        },
      ] as unknown as OpenAI.ChatCompletionMessageParam[],
    };
    const usageOf = async () => {
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of await openai.chat.completions.create(body)) {
        if (chunk.usage) usage = chunk.usage;
      }
      return usage;
    };
    const beforeStream = commits();
    const u1 = await usageOf();
    expect(u1?.prompt_tokens_details?.cached_tokens).toBe(0);
    await committed(beforeStream);
    const u2 = await usageOf();
    expect(u2?.prompt_tokens_details?.cached_tokens).toBeGreaterThan(0);
  });

  it("an OpenAI client on a tariff model served by an Anthropic provider gets the split in its own shape", async () => {
    const body = {
      model: "cached-claude",
      messages: [
        { role: "system", content: SYSTEM },
        {
          role: "user",
          content: [
            {
              type: "text",
              text: "Translated and cached? I would like to know about screws and anchors.",
              cache_control: EPHEMERAL,
            },
          ],
        },
      ] as unknown as OpenAI.ChatCompletionMessageParam[],
    };
    const before = commits();
    const first = await openai.chat.completions.create(body);
    await committed(before);
    const second = await openai.chat.completions.create(body);
    const created = (first.usage as unknown as { cache_creation_input_tokens: number })
      .cache_creation_input_tokens;
    expect(created).toBeGreaterThan(0);
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(created);
    // The Anthropic upstream got no markers.
    expect(JSON.stringify(h.mock.recent.at(-1)?.body)).not.toContain("cache_control");
  });

  it("a slow classification never delays the first streamed token (only the usage frame waits)", async () => {
    const service = h.gateway.services.promptCache;
    const original = service.classify.bind(service);
    const DELAY = 1_500;
    service.classify = (...args) =>
      new Promise((resolve) => setTimeout(() => resolve(original(...args)), DELAY));
    try {
      const started = performance.now();
      let firstContent = 0;
      let usageAt = 0;
      let usage: OpenAI.CompletionUsage | null | undefined;
      const stream = await openai.chat.completions.create({
        model: "cached-gpt",
        stream: true,
        messages: [
          { role: "system", content: SYSTEM },
          {
            role: "user",
            content: [
              {
                type: "text",
                text: `Slow index ${Date.now()}: which aisle has rope?`,
                cache_control: EPHEMERAL,
              },
            ],
          },
        ] as unknown as OpenAI.ChatCompletionMessageParam[],
      });
      for await (const chunk of stream) {
        if (!firstContent && chunk.choices[0]?.delta.content)
          firstContent = performance.now() - started;
        if (chunk.usage) {
          usage = chunk.usage;
          usageAt = performance.now() - started;
        }
      }
      expect(firstContent).toBeGreaterThan(0);
      expect(firstContent).toBeLessThan(DELAY / 2);
      expect(usageAt).toBeGreaterThanOrEqual(DELAY - 50);
      // The split still arrives, in the usage chunk.
      expect(
        (usage as unknown as { cache_creation_input_tokens: number }).cache_creation_input_tokens,
      ).toBeGreaterThan(0);
    } finally {
      service.classify = original;
    }
  });

  it("models without a tariff are not accounted: usage untouched, markers forwarded", async () => {
    const { data } = await anthropic.messages
      .create({
        model: "claude-a",
        max_tokens: 50,
        system: [{ type: "text", text: SYSTEM, cache_control: EPHEMERAL }],
        messages: [{ role: "user", content: "hi" }],
      })
      .withResponse();
    expect(data.usage.cache_read_input_tokens ?? null).toBeNull();
    expect(JSON.stringify(h.mock.recent.at(-1)?.body)).toContain("cache_control");
  });
});
