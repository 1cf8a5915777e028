import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";

// Issue 14.11: a translated reply carries an id of the client's API, never the upstream's.
const OPENAI_ID = /^chatcmpl-[A-Za-z0-9]+$/;
const ANTHROPIC_ID = /^msg_[A-Za-z0-9]+$/;

let h: Harness;
let openai: OpenAI;
let anthropic: Anthropic;
beforeAll(async () => {
  h = await startHarness();
  openai = new OpenAI({ apiKey: KEY_A, baseURL: `${h.url}/v1`, maxRetries: 0, timeout: 10_000 });
  anthropic = new Anthropic({ apiKey: KEY_A, baseURL: h.url, maxRetries: 0, timeout: 10_000 });
});
afterAll(() => h?.close());

const messages = [{ role: "user" as const, content: "Say hello" }];

describe("reply ids have the client API's shape", () => {
  it("an OpenAI client answered by an Anthropic model gets chatcmpl- ids, a new one per reply", async () => {
    const first = await openai.chat.completions.create({ model: "claude-a", messages });
    const second = await openai.chat.completions.create({ model: "claude-a", messages });
    expect(first.id).toMatch(OPENAI_ID);
    expect(second.id).toMatch(OPENAI_ID);
    expect(second.id).not.toBe(first.id);
  });

  it("every chunk of a translated OpenAI stream shares one chatcmpl- id", async () => {
    const stream = await openai.chat.completions.create({
      model: "claude-a",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const ids = new Set<string>();
    for await (const chunk of stream) ids.add(chunk.id);
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(OPENAI_ID);
  });

  it("an Anthropic client answered by an OpenAI model gets msg_ ids, a new one per reply", async () => {
    const ask = { model: "gpt-a", max_tokens: 50, messages };
    const first = await anthropic.messages.create(ask);
    const second = await anthropic.messages.create(ask);
    expect(first.id).toMatch(ANTHROPIC_ID);
    expect(second.id).toMatch(ANTHROPIC_ID);
    expect(second.id).not.toBe(first.id);
  });

  it("a translated Anthropic stream opens with a msg_ id that the final message keeps", async () => {
    const stream = anthropic.messages.stream({ model: "gpt-a", max_tokens: 50, messages });
    let started: string | undefined;
    for await (const event of stream)
      if (event.type === "message_start") started = event.message.id;
    expect(started).toMatch(ANTHROPIC_ID);
    expect((await stream.finalMessage()).id).toBe(started);
  });

  it("untranslated replies keep the upstream's own id", async () => {
    const completion = await openai.chat.completions.create({ model: "gpt-a", messages });
    expect(completion.id).toMatch(/^chatcmpl-mock-\d+$/);
    const message = await anthropic.messages.create({
      model: "claude-a",
      max_tokens: 50,
      messages,
    });
    expect(message.id).toMatch(/^msg_mock_\d+$/);
  });
});
