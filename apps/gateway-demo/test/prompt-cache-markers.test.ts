import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call } from "./helpers/http.js";
import { waitFor } from "./helpers/wait.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());
beforeEach(() => h.mock.reset());

// Comfortably above the test models' 32-token floor on its own.
const SYSTEM =
  "You answer questions about the store's opening hours, returns and gift cards. Be brief, be precise, and refer customers to the service desk for anything about payments or refunds that you cannot settle yourself. Opening hours are nine to six on weekdays and ten to four on Saturdays; the store is closed on Sundays and public holidays. Returns need the receipt and must happen within thirty days.";

const ephemeral = (ttl?: string) => ({ type: "ephemeral", ...(ttl ? { ttl } : {}) });
const text = (t: string, cacheControl?: unknown) => ({
  type: "text",
  text: t,
  ...(cacheControl === undefined ? {} : { cache_control: cacheControl }),
});

/** Anthropic bodies for cached-claude: a marker placed by `mark` on an otherwise valid body. */
function anthropicBody(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    model: "cached-claude",
    max_tokens: 100,
    system: [text(SYSTEM)],
    messages: [{ role: "user", content: [text("What time do you open?")] }],
    ...extra,
  };
}

const part = (marker: unknown, t = "What time do you open?") => ({
  messages: [{ role: "user", content: [text(t, marker)] }],
});

const INVALID: Array<[string, Record<string, unknown>, RegExp]> = [
  ["a marker that is not an object", part("yes"), /messages\[0\]\.content\[0\]/],
  ["a marker without type", part({}), /type/],
  ["a marker with an unknown key", part({ type: "ephemeral", scope: "org" }), /scope|key/],
  ["an unsupported type", part({ type: "persistent" }), /ephemeral|type/],
  ["an unknown ttl", part(ephemeral("2h")), /ttl/],
  ["a tier that is not enabled (24h)", part(ephemeral("24h")), /24h/],
  [
    "five breakpoints",
    {
      system: [text("a", ephemeral()), text("b", ephemeral()), text("c", ephemeral())],
      messages: [{ role: "user", content: [text("d", ephemeral()), text("e", ephemeral())] }],
    },
    /4|breakpoint/,
  ],
  [
    "an automatic marker whose tier conflicts with the last block's",
    { cache_control: ephemeral("1h"), ...part(ephemeral("5m")) },
    /cache_control/,
  ],
  [
    "an automatic marker with no slot left",
    {
      cache_control: ephemeral(),
      system: [text("a", ephemeral()), text("b", ephemeral())],
      messages: [
        { role: "user", content: [text("c", ephemeral()), text("d", ephemeral()), text("e")] },
      ],
    },
    /slot|breakpoint|4/,
  ],
  [
    "a longer ttl after a shorter one",
    { system: [text(SYSTEM, ephemeral("5m"))], ...part(ephemeral("1h")) },
    /1h|order|longer/,
  ],
  [
    "an invalid marker on a tool",
    {
      tools: [{ name: "hours", input_schema: { type: "object" }, cache_control: { type: 1 } }],
    },
    /tools\[0\]/,
  ],
];

describe("cache_control markers on models with a cache tariff", () => {
  for (const [name, extra, where] of INVALID) {
    it(`${name}: 400 invalid_cache_control, nothing dispatched`, async () => {
      const reply = await call(`${h.url}/v1/messages`, "POST", anthropicBody(extra), bearer(KEY_A));
      expect(reply.status).toBe(400);
      expect(reply.json.type).toBe("error");
      expect(reply.json.error).toMatchObject({
        type: "invalid_request_error",
        code: "invalid_cache_control",
        param: "cache_control",
      });
      expect(reply.json.error.message).toMatch(where);
      expect(h.mock.count()).toBe(0);
    });
  }

  it("a marker key spelled with unicode escapes is still found", async () => {
    const raw = JSON.stringify(anthropicBody({})).replace(
      '"text":"What time do you open?"',
      '"text":"What time do you open?","cache\\u005fcontrol":{"type":"bad"}',
    );
    expect(raw).toContain("cache\\u005fcontrol");
    const reply = await call(`${h.url}/v1/messages`, "POST", raw, bearer(KEY_A));
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe("invalid_cache_control");
    expect(h.mock.count()).toBe(0);
  });

  it("the OpenAI endpoint answers the spec's body for the same errors", async () => {
    const bodies = [
      { cache_control: "yes" },
      { cache_control: { type: "ephemeral", ttl: "24h" } },
      { cache_control: { type: "other" } },
    ];
    for (const marker of bodies) {
      const reply = await call(
        `${h.url}/v1/chat/completions`,
        "POST",
        {
          model: "cached-gpt",
          messages: [{ role: "user", content: [{ type: "text", text: "hello", ...marker }] }],
        },
        bearer(KEY_A),
      );
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({
        error: {
          message: expect.stringContaining("messages[0].content[0]"),
          type: "invalid_request_error",
          code: "invalid_cache_control",
          param: "cache_control",
        },
      });
    }
    expect(h.mock.count()).toBe(0);
  });

  it("the Anthropic SDK surfaces it as a BadRequestError", async () => {
    const client = new Anthropic({ apiKey: KEY_A, baseURL: h.url, maxRetries: 0 });
    const error = await client.messages
      .create(anthropicBody(part(ephemeral("2h"))) as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(h.mock.count()).toBe(0);
  });

  it("valid markers are stripped from the forwarded body (a cache_control inside a tool schema is data and stays)", async () => {
    const body = {
      model: "cached-claude",
      max_tokens: 100,
      cache_control: ephemeral(),
      tools: [
        {
          name: "hours",
          input_schema: { type: "object", properties: { cache_control: { type: "string" } } },
          cache_control: ephemeral("1h"),
        },
      ],
      system: [text(SYSTEM, ephemeral("1h"))],
      messages: [{ role: "user", content: [text("Are you open on Sunday?", ephemeral())] }],
    };
    const reply = await call(`${h.url}/v1/messages`, "POST", body, bearer(KEY_A));
    expect(reply.status).toBe(200);
    const forwarded = h.mock.recent.at(-1)?.body as Record<string, unknown>;
    expect(forwarded.cache_control).toBeUndefined();
    expect(JSON.stringify(forwarded.system)).not.toContain("cache_control");
    expect(JSON.stringify(forwarded.messages)).not.toContain("cache_control");
    const tool = (forwarded.tools as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
    expect(tool.cache_control).toBeUndefined();
    expect(tool.input_schema).toEqual(body.tools[0]?.input_schema);
    // Both breakpoints were written, each at its own tier.
    expect(reply.json.usage.cache_creation.ephemeral_1h_input_tokens).toBeGreaterThan(0);
  });

  it("models without a tariff do not validate markers (the upstream judges them)", async () => {
    const reply = await call(
      `${h.url}/v1/messages`,
      "POST",
      { ...anthropicBody(part(ephemeral("2h"))), model: "claude-a" },
      bearer(KEY_A),
    );
    expect(reply.status).toBe(200);
    expect(JSON.stringify(h.mock.recent.at(-1)?.body)).toContain('"ttl":"2h"');
  });
});

describe("commits happen after success only", () => {
  const stats = () => h.gateway.services.promptCache.metrics().stats;
  const marked = (model: string, t: string, extra: Record<string, unknown> = {}) => ({
    model,
    max_tokens: 100,
    system: [text(SYSTEM)],
    messages: [{ role: "user", content: [text(t, ephemeral())] }],
    ...extra,
  });

  it("a failed upstream response commits no entry: the next success creates, it does not read", async () => {
    const body = marked("cached-claude-flaky", "Can I return a gift card without the receipt?");
    const before = stats();
    const failed = await call(`${h.url}/v1/messages`, "POST", body, bearer(KEY_A));
    expect(failed.status).toBe(502);
    expect(h.mock.count("ccflaky~fail=500~times=2")).toBe(2);
    await waitFor(() => stats().commitsSkippedFailedResponse > before.commitsSkippedFailedResponse);
    expect(stats().commitsApplied).toBe(before.commitsApplied);

    const ok = await call(`${h.url}/v1/messages`, "POST", body, bearer(KEY_A));
    expect(ok.status).toBe(200);
    expect(ok.json.usage.cache_read_input_tokens).toBe(0);
    expect(ok.json.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it("a 4xx from the upstream commits nothing either", async () => {
    const body = {
      model: "cached-gpt-400",
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: [text("Do you sell gift cards online?", ephemeral())] },
      ],
    };
    const failed = await call(`${h.url}/v1/chat/completions`, "POST", body, bearer(KEY_A));
    expect(failed.status).toBe(400);
    const ok = await call(`${h.url}/v1/chat/completions`, "POST", body, bearer(KEY_A));
    expect(ok.status).toBe(200);
    expect(ok.json.usage.prompt_tokens_details.cached_tokens).toBe(0);
    expect(ok.json.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it("a stream that breaks after its first byte commits nothing", async () => {
    const body = marked("cached-claude-cut", "What are your hours on public holidays?", {
      stream: true,
    });
    const before = stats();
    const broken = await call(`${h.url}/v1/messages`, "POST", body, bearer(KEY_A));
    expect(broken.status).toBe(200);
    expect(broken.text).toContain("event: error");
    expect(broken.text).not.toContain("message_stop");
    await waitFor(() => stats().commitsSkippedFailedResponse > before.commitsSkippedFailedResponse);

    const complete = await call(`${h.url}/v1/messages`, "POST", body, bearer(KEY_A));
    expect(complete.text).toContain("message_stop");
    const delta = complete.text
      .split("\n")
      .filter((line) => line.startsWith("data:") && line.includes("message_delta"))
      .map((line) => JSON.parse(line.slice(5)))[0];
    expect(delta.usage.cache_read_input_tokens).toBe(0);
    expect(delta.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });
});
