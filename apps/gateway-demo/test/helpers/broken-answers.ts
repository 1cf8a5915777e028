import { expect } from "vitest";
import { type Harness, KEY_A, testModels } from "./harness.js";
import { bearer, call, type Reply } from "./http.js";

// Shared by the tests of broken upstream answers (issue 14.7): both client APIs, passthrough
// and translated, a 502 before the first byte and an error event after it.

export type Api = "openai" | "anthropic";

/** A catalog model on the mock's provider `provider` whose upstream name carries fault directives. */
export const faultModel = (provider: "oa" | "an", upstream: string) => ({
  ...(testModels()["gpt-a"] as Record<string, unknown>),
  provider,
  upstream_model: upstream,
});

/** Both client APIs, each against a model of its own API (passthrough) and of the other (translated). */
export const PATHS: Array<[string, Api, string]> = [
  ["OpenAI client, OpenAI upstream (passthrough)", "openai", "gpt"],
  ["OpenAI client, Anthropic upstream (translated)", "openai", "claude"],
  ["Anthropic client, Anthropic upstream (passthrough)", "anthropic", "claude"],
  ["Anthropic client, OpenAI upstream (translated)", "anthropic", "gpt"],
];

/** A completion request in the client's API against `modelName` (raw HTTP, the whole reply read). */
export function askGateway(
  harness: Harness,
  api: Api,
  modelName: string,
  stream: boolean,
  extra: Record<string, unknown> = {},
): Promise<Reply> {
  const messages = [{ role: "user", content: "hi" }];
  return api === "openai"
    ? call(
        `${harness.url}/v1/chat/completions`,
        "POST",
        { model: modelName, messages, stream, ...extra },
        bearer(KEY_A),
      )
    : call(
        `${harness.url}/v1/messages`,
        "POST",
        { model: modelName, max_tokens: 50, messages, stream, ...extra },
        bearer(KEY_A),
      );
}

export function expect502Envelope(api: Api, reply: Reply): void {
  expect(reply.status).toBe(502);
  if (api === "openai") {
    expect(reply.json.error).toMatchObject({ type: "api_error", code: "upstream_error" });
  } else {
    expect(reply.json).toMatchObject({ type: "error", error: { type: "api_error" } });
  }
  expect(reply.headers.get("x-switchyard-model-used")).toBeNull();
}

/** The stream's last event is an error in the client's dialect, and nothing reads as a clean finish. */
export function expectErrorEventLast(api: Api, reply: Reply): void {
  expect(reply.status).toBe(200);
  const last = reply.text.trim().split("\n\n").at(-1) as string;
  if (api === "openai") {
    expect(reply.text).not.toMatch(/^data: \[DONE\]$/m);
    expect(last.startsWith("data: ")).toBe(true);
    expect(JSON.parse(last.slice("data: ".length)).error).toMatchObject({
      type: "api_error",
      code: "upstream_error",
    });
  } else {
    expect(reply.text).not.toMatch(/^event: message_stop$/m);
    const [event, data] = last.split("\n");
    expect(event).toBe("event: error");
    expect(JSON.parse((data as string).slice("data: ".length))).toMatchObject({
      type: "error",
      error: { type: "api_error" },
    });
  }
}

/** Reads a stream to its end; the error it raised, if any. */
export async function drain<T>(
  stream: AsyncIterable<T>,
  each: (item: T) => void,
): Promise<unknown> {
  try {
    for await (const item of stream) each(item);
  } catch (error) {
    return error;
  }
  return undefined;
}
