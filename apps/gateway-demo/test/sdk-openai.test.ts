import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";

let h: Harness;
let client: OpenAI;
beforeAll(async () => {
  h = await startHarness();
  client = new OpenAI({ apiKey: KEY_A, baseURL: `${h.url}/v1`, maxRetries: 0, timeout: 10_000 });
});
afterAll(() => h?.close());

const ask = (model: string) => ({
  model,
  messages: [{ role: "user" as const, content: "Say hello" }],
});

describe("OpenAI SDK against /v1/chat/completions", () => {
  it("a plain completion comes back in the OpenAI shape with usage", async () => {
    const { data, response } = await client.chat.completions.create(ask("gpt-a")).withResponse();
    expect(data.object).toBe("chat.completion");
    expect(data.choices[0]?.message.content).toBe("Mock reply from gpt-a. You said: Say hello");
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(response.headers.get("x-switchyard-model-used")).toBe("gpt-a");
    expect(response.headers.get("x-switchyard-route")).toBeNull();
  });

  it("a streamed completion arrives as chunks and ends with a usage chunk when asked", async () => {
    const stream = await client.chat.completions.create({
      ...ask("gpt-a"),
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined | null;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("Mock reply from gpt-a. You said: Say hello");
    expect(finish).toBe("stop");
    expect(usage?.total_tokens).toBeGreaterThan(0);
  });

  it("the request id the client sends is echoed back", async () => {
    const { response } = await client.chat.completions
      .create(ask("gpt-a"), { headers: { "x-request-id": "my-trace-123" } })
      .withResponse();
    expect(response.headers.get("x-request-id")).toBe("my-trace-123");
  });

  it("a wrong key surfaces as AuthenticationError (401)", async () => {
    const bad = new OpenAI({ apiKey: "sk-wrong", baseURL: `${h.url}/v1`, maxRetries: 0 });
    const error = await bad.chat.completions.create(ask("gpt-a")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
  });

  it("an unknown model surfaces as NotFoundError (404, code model_not_found)", async () => {
    const error = await client.chat.completions
      .create(ask("no-such-model"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
  });

  it("an invalid request surfaces as BadRequestError (400) naming the field", async () => {
    const error = await client.chat.completions
      .create({ ...ask("gpt-a"), max_tokens: -5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("max_tokens");
  });

  it("an upstream rate limit surfaces as RateLimitError (429)", async () => {
    const error = await client.chat.completions
      .create(ask("rate-limited-long"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get("retry-after")).toBe(
      "120",
    );
  });

  it("the model list is the catalog", async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain("gpt-a");
    expect(ids).toContain("claude-a");
  });
});
