import { describe, expect, it } from "vitest";
import { type Route, RoutingEngine } from "../src/index.js";
import { audioPart, chat, imagePart, route, textPart, userMessage } from "./fixtures.js";

const matches = (r: Route, request: object, tokens = 10, cost?: number, tag?: string) =>
  new RoutingEngine([r]).evaluate(request, { tag }, tokens, cost) !== undefined;

const hello = chat("gpt-4o", userMessage("hello"));

describe("model_in", () => {
  it("empty list matches any model, even a missing one", () => {
    const r = route();
    expect(matches(r, hello)).toBe(true);
    expect(matches(r, { messages: [] })).toBe(true);
  });

  it("matches the requested model exactly and case-sensitively", () => {
    const r = route({ when: { model_in: ["gpt-4o", "claude-3"] } });
    expect(matches(r, chat("gpt-4o"))).toBe(true);
    expect(matches(r, chat("claude-3"))).toBe(true);
    expect(matches(r, chat("GPT-4o"))).toBe(false);
    expect(matches(r, chat("gpt-4o-mini"))).toBe(false);
    expect(matches(r, chat("gpt-4o "))).toBe(false);
    expect(matches(r, { model: 42 })).toBe(false);
    expect(matches(r, {})).toBe(false);
  });
});

describe("input token bounds are strict", () => {
  it("input_tokens_lt matches only below the bound", () => {
    const r = route({ when: { input_tokens_lt: 500 } });
    expect(matches(r, hello, 499)).toBe(true);
    expect(matches(r, hello, 500)).toBe(false);
    expect(matches(r, hello, 501)).toBe(false);
  });

  it("input_tokens_gt matches only above the bound", () => {
    const r = route({ when: { input_tokens_gt: 500 } });
    expect(matches(r, hello, 501)).toBe(true);
    expect(matches(r, hello, 500)).toBe(false);
    expect(matches(r, hello, 0)).toBe(false);
  });

  it("both bounds together form an open interval", () => {
    const r = route({ when: { input_tokens_gt: 10, input_tokens_lt: 20 } });
    expect([10, 11, 19, 20].map((t) => matches(r, hello, t))).toEqual([false, true, true, false]);
  });

  it("a non-numeric estimate fails bounded routes only", () => {
    expect(matches(route({ when: { input_tokens_lt: 500 } }), hello, Number.NaN)).toBe(false);
    expect(matches(route(), hello, Number.NaN)).toBe(true);
  });
});

describe("cost bounds", () => {
  it("estimated_cost_gt is strict and needs a known cost", () => {
    const r = route({ when: { estimated_cost_gt: 0.5 } });
    expect(matches(r, hello, 10, 0.51)).toBe(true);
    expect(matches(r, hello, 10, 0.5)).toBe(false);
    expect(matches(r, hello, 10, undefined)).toBe(false);
  });

  it("estimated_cost_lt is strict and needs a known cost", () => {
    const r = route({ when: { estimated_cost_lt: 0.5 } });
    expect(matches(r, hello, 10, 0.49)).toBe(true);
    expect(matches(r, hello, 10, 0.5)).toBe(false);
    expect(matches(r, hello, 10, undefined)).toBe(false);
  });

  it("unknown cost (absent, null or NaN) never matches a cost condition", () => {
    const r = route({ when: { estimated_cost_lt: 1e9 } });
    const engine = new RoutingEngine([r]);
    expect(engine.evaluate(hello, {}, 10)).toBeUndefined();
    expect(engine.evaluate(hello, {}, 10, null)).toBeUndefined();
    expect(engine.evaluate(hello, {}, 10, Number.NaN)).toBeUndefined();
    expect(engine.evaluate(hello, {}, 10, 0)).toEqual(r);
  });

  it("routes without cost conditions ignore a missing estimate", () => {
    expect(matches(route(), hello, 10, undefined)).toBe(true);
  });
});

describe("tag_equals", () => {
  const r = route({ when: { tag_equals: "batch" } });

  it("matches the raw tag exactly, case-sensitive and untrimmed", () => {
    expect(matches(r, hello, 10, undefined, "batch")).toBe(true);
    expect(matches(r, hello, 10, undefined, "Batch")).toBe(false);
    expect(matches(r, hello, 10, undefined, " batch")).toBe(false);
  });

  it("a request without a tag never matches", () => {
    expect(matches(r, hello, 10, undefined, undefined)).toBe(false);
  });

  it("an empty tag matches only an empty tag_equals", () => {
    expect(matches(route({ when: { tag_equals: "" } }), hello, 10, undefined, "")).toBe(true);
    expect(matches(r, hello, 10, undefined, "")).toBe(false);
  });
});

describe("has_images / has_audio", () => {
  const images = route({ when: { has_images: true } });
  const noImages = route({ when: { has_images: false } });
  const audio = route({ when: { has_audio: true } });

  it("counts image parts in any role", () => {
    const assistant = { model: "m", messages: [{ role: "assistant", content: [imagePart] }] };
    const tool = { model: "m", messages: [{ role: "tool", content: [textPart("x"), imagePart] }] };
    expect(matches(images, chat("m", userMessage([imagePart])))).toBe(true);
    expect(matches(images, assistant)).toBe(true);
    expect(matches(images, tool)).toBe(true);
    expect(matches(noImages, assistant)).toBe(false);
  });

  it("counts only parts of array content, never a plain string", () => {
    const mentionsImage = chat("m", userMessage('{"type":"image_url"}'));
    expect(matches(images, mentionsImage)).toBe(false);
    expect(matches(noImages, mentionsImage)).toBe(true);
  });

  it("false matches requests without image parts", () => {
    expect(matches(noImages, hello)).toBe(true);
    expect(matches(images, hello)).toBe(false);
  });

  it("detects input-audio parts separately from images", () => {
    expect(matches(audio, chat("m", userMessage([audioPart])))).toBe(true);
    expect(matches(audio, chat("m", userMessage([imagePart])))).toBe(false);
    expect(matches(images, chat("m", userMessage([audioPart])))).toBe(false);
  });

  it("ignores malformed messages and parts instead of throwing", () => {
    const odd = { model: "m", messages: [null, 3, { role: "user", content: [null, "x", {}] }] };
    expect(matches(images, odd)).toBe(false);
    expect(matches(noImages, { model: "m", messages: "not an array" })).toBe(true);
  });
});

describe("prompt_contains_any_of", () => {
  const r = route({ when: { prompt_contains_any_of: ["refund", "Invoice"] } });

  it("matches any keyword as a case-insensitive substring", () => {
    expect(matches(r, chat("m", userMessage("I want a REFUND now")))).toBe(true);
    expect(matches(r, chat("m", userMessage("where is my invoice?")))).toBe(true);
    expect(matches(r, chat("m", userMessage("hello")))).toBe(false);
  });

  it("reads user and system text only, never assistant or tool output", () => {
    const system = { model: "m", messages: [{ role: "system", content: "billing: refund desk" }] };
    const assistant = { model: "m", messages: [{ role: "assistant", content: "refund issued" }] };
    const tool = { model: "m", messages: [{ role: "tool", content: "refund" }] };
    expect(matches(r, system)).toBe(true);
    expect(matches(r, assistant)).toBe(false);
    expect(matches(r, tool)).toBe(false);
  });

  it("joins text parts with nothing and messages with a newline", () => {
    const parts = chat("m", userMessage([textPart("ref"), imagePart, textPart("und")]));
    expect(matches(r, parts)).toBe(true);
    const across = route({ when: { prompt_contains_any_of: ["a\nb"] } });
    expect(matches(across, chat("m", userMessage("a"), userMessage("b")))).toBe(true);
    expect(matches(across, chat("m", userMessage("ab")))).toBe(false);
  });

  it("an empty keyword always matches, an empty list is ignored", () => {
    const empty = route({ when: { prompt_contains_any_of: ["nope", ""] } });
    expect(matches(empty, { model: "m", messages: [] })).toBe(true);
    expect(matches(route({ when: { prompt_contains_any_of: [] } }), hello)).toBe(true);
  });

  it("lowercases with full Unicode rules on both sides", () => {
    const greek = route({ when: { prompt_contains_any_of: ["ΟΔΥΣΣΕΥΣ"] } });
    expect(matches(greek, chat("m", userMessage("ὁ ὀδυσσευς")))).toBe(false);
    expect(matches(greek, chat("m", userMessage("Οδυσσευς")))).toBe(true);
    const german = route({ when: { prompt_contains_any_of: ["STRASSE", "Ärger"] } });
    expect(matches(german, chat("m", userMessage("so viel ÄRGER")))).toBe(true);
    const turkish = route({ when: { prompt_contains_any_of: ["İstanbul"] } });
    expect(matches(turkish, chat("m", userMessage("İSTANBUL")))).toBe(true);
  });
});

describe("beyond the reference: stream and has_tools", () => {
  it("stream: true matches only streamed requests", () => {
    const r = route({ when: { stream: true } });
    expect(matches(r, { ...hello, stream: true })).toBe(true);
    expect(matches(r, hello)).toBe(false);
    expect(matches(route({ when: { stream: false } }), hello)).toBe(true);
  });

  it("has_tools: true matches requests declaring tools or functions", () => {
    const r = route({ when: { has_tools: true } });
    expect(matches(r, { ...hello, tools: [{ type: "function" }] })).toBe(true);
    expect(matches(r, { ...hello, functions: [{ name: "f" }] })).toBe(true);
    expect(matches(r, { ...hello, tools: [] })).toBe(false);
    expect(matches(route({ when: { has_tools: false } }), hello)).toBe(true);
  });
});

describe("all conditions are AND-ed", () => {
  it("one failing condition fails the route", () => {
    const r = route({
      when: { model_in: ["gpt-4o"], input_tokens_lt: 100, tag_equals: "t", has_images: false },
    });
    expect(matches(r, hello, 10, undefined, "t")).toBe(true);
    expect(matches(r, hello, 100, undefined, "t")).toBe(false);
    expect(matches(r, hello, 10, undefined, "u")).toBe(false);
    expect(matches(r, chat("gpt-4o", userMessage([imagePart])), 10, undefined, "t")).toBe(false);
  });
});
