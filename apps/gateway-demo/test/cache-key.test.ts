import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { responseCacheKey } from "../src/response-cache/cache-key.js";

const ORG = "01900000-0000-7000-8000-00000000000a";
const key = (
  body: Record<string, unknown>,
  extra: Partial<Parameters<typeof responseCacheKey>[0]> = {},
) =>
  responseCacheKey({
    orgId: ORG,
    api: "openai",
    candidates: ["gpt-a"],
    anthropicVersion: undefined,
    anthropicBeta: undefined,
    body,
    ...extra,
  });

describe("response cache key", () => {
  const body = { model: "m", temperature: 0, messages: [{ role: "user", content: "hi" }] };

  it("is tenant-scoped and canonical (key order at every level, delivery fields ignored)", () => {
    const k = key(body);
    expect(k.startsWith(`${ORG}:`)).toBe(true);
    expect(key({ messages: [{ content: "hi", role: "user" }], temperature: 0, model: "m" })).toBe(
      k,
    );
    expect(key({ ...body, stream: true, stream_options: { include_usage: true }, user: "u" })).toBe(
      k,
    );
    expect(key(body, { orgId: "01900000-0000-7000-8000-00000000000b" })).not.toBe(k);
  });

  it("changes with every field that changes the answer", () => {
    const k = key(body);
    for (const changed of [
      { ...body, seed: 1 },
      { ...body, max_tokens: 10 },
      { ...body, messages: [{ role: "user", content: "hi!" }] },
      { ...body, tools: [] },
    ]) {
      expect(key(changed)).not.toBe(k);
    }
    expect(key(body, { candidates: ["gpt-a", "gpt-b"] })).not.toBe(k);
    expect(key(body, { api: "anthropic" })).not.toBe(k);
    expect(key(body, { anthropicBeta: "x" })).not.toBe(k);
  });
});

const chat = (content: unknown, extra: Record<string, unknown> = {}) => ({
  model: "m",
  messages: [{ role: "user", content }],
  ...extra,
});

describe("response cache key: long strings (issue 14.1)", () => {
  const long = "lorem ipsum ".repeat(100_000);

  it("hashes a long prompt without serializing it (no JSON.stringify of a long string)", () => {
    const stringify = vi.spyOn(JSON, "stringify");
    let longest = 0;
    try {
      key(chat(long, { [long]: 1 }));
      for (const [value] of stringify.mock.calls) {
        if (typeof value === "string") longest = Math.max(longest, value.length);
      }
    } finally {
      stringify.mockRestore();
    }
    expect(longest).toBeLessThan(long.length);
  });

  it("is canonical and exact for long strings: the same text, the same key; one character apart, another", () => {
    const k = key(chat(long));
    expect(key(JSON.parse(JSON.stringify(chat(long))))).toBe(k);
    expect(key(chat(`${long.slice(0, -1)}!`))).not.toBe(k);
    expect(key(chat(`${long} `))).not.toBe(k);
    expect(key(chat([{ type: "text", text: long }]))).not.toBe(k);
    // The same characters split differently between two long strings.
    const a = {
      model: "m",
      messages: [
        { role: "user", content: long },
        { role: "user", content: long },
      ],
    };
    const b = {
      model: "m",
      messages: [
        { role: "user", content: `${long}${long.slice(0, 10)}` },
        { role: "user", content: long.slice(10) },
      ],
    };
    expect(key(a)).not.toBe(key(b));
  });

  it("does not confuse a long string with short text that spells its canonical form", () => {
    const text = "x".repeat(5000);
    const spelled = `s${text.length}:${text}`;
    expect(key(chat(text))).not.toBe(key(chat(spelled)));
    expect(key({ model: "m", a: text })).not.toBe(key({ model: "m", a: spelled }));
  });

  it("tells apart long strings that differ only in a lone surrogate (no U+FFFD folding)", () => {
    const base = "y".repeat(5000);
    const keys = new Set([
      key(chat(`${base}\uD800`)),
      key(chat(`${base}\uDC00`)),
      key(chat(`${base}\uFFFD`)),
      key(chat(`${base}\uD83D\uDE00`)),
    ]);
    expect(keys.size).toBe(4);
  });

  it("gives short bodies the key they had before (JSON text, one hash)", () => {
    const text =
      'openai\u0000gpt-a\u0000\u0000\u0000{"messages":[{"content":"hi","role":"user"}],"model":"m","temperature":0}';
    const expected = createHash("sha256").update(text).digest("base64url");
    expect(key(chat("hi", { temperature: 0 }))).toBe(`${ORG}:${expected}`);
  });
});
