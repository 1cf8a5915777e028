import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";

let h: Harness;
let client: Anthropic;
beforeAll(async () => {
  h = await startHarness();
  client = new Anthropic({ apiKey: KEY_A, baseURL: h.url, maxRetries: 0, timeout: 10_000 });
});
afterAll(() => h?.close());

const ask = (model: string) => ({
  model,
  max_tokens: 100,
  messages: [{ role: "user" as const, content: "Say hello" }],
});

describe("Anthropic SDK against /v1/messages", () => {
  it("a plain message comes back in the Anthropic shape with usage", async () => {
    const { data, response } = await client.messages.create(ask("claude-a")).withResponse();
    expect(data.type).toBe("message");
    expect(data.content[0]).toMatchObject({
      type: "text",
      text: "Mock reply from claude-a. You said: Say hello",
    });
    expect(data.stop_reason).toBe("end_turn");
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(data.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-switchyard-model-used")).toBe("claude-a");
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });

  it("the key may come as x-api-key (the SDK default); anthropic-version is forwarded, the client key is not", async () => {
    await client.messages.create(ask("claude-a"), {
      headers: { "anthropic-version": "2023-06-01" },
    });
    const seen = h.mock.recent.at(-1);
    expect(seen?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(seen?.headers["x-api-key"]).toBeUndefined();
    expect(seen?.headers.authorization).toBeUndefined();
  });

  it("a streamed message emits message_start, content_block_*, message_delta, message_stop", async () => {
    const stream = client.messages.stream(ask("claude-a"));
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalMessage();
    expect(types[0]).toBe("message_start");
    expect(types).toContain("content_block_start");
    expect(types).toContain("content_block_delta");
    expect(types.at(-2)).toBe("message_delta");
    expect(types.at(-1)).toBe("message_stop");
    expect(final.content[0]).toMatchObject({
      text: "Mock reply from claude-a. You said: Say hello",
    });
    expect(final.usage.output_tokens).toBeGreaterThan(0);
    expect(final.usage.input_tokens).toBeGreaterThan(0);
  });

  it("a wrong key surfaces as AuthenticationError (401)", async () => {
    const bad = new Anthropic({ apiKey: "sk-wrong", baseURL: h.url, maxRetries: 0 });
    const error = await bad.messages.create(ask("claude-a")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it("an unknown model surfaces as NotFoundError (404)", async () => {
    const error = await client.messages.create(ask("no-such-model")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: "error",
      error: { type: "not_found_error" },
    });
  });

  it("an invalid request surfaces as BadRequestError (400)", async () => {
    const error = await client.messages
      .create({ ...ask("claude-a"), max_tokens: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it("an upstream failure on every candidate surfaces as InternalServerError (502)", async () => {
    const error = await client.messages.create(ask("fail-529")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect((error as InstanceType<typeof Anthropic.InternalServerError>).status).toBe(502);
  });

  it("the model list comes in the Anthropic shape", async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toContain("claude-a");
  });
});
