import { describe, expect, it } from "vitest";
import { isStorableAnswer } from "../src/response-cache/answer-shape.js";

describe("storable answers", () => {
  const completion = (message: Record<string, unknown>, finish = "stop") => ({
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "hi", ...message },
        finish_reason: finish,
      },
    ],
  });

  it("only one finished text answer is stored", () => {
    expect(isStorableAnswer("openai", completion({}))).toBe(true);
    expect(isStorableAnswer("openai", completion({}, "length"))).toBe(true);
    expect(
      isStorableAnswer("openai", completion({ tool_calls: [{ id: "c" }] }, "tool_calls")),
    ).toBe(false);
    expect(isStorableAnswer("openai", completion({}, "content_filter"))).toBe(false);
    expect(isStorableAnswer("openai", completion({ refusal: "no" }))).toBe(false);
    expect(isStorableAnswer("openai", { choices: [] })).toBe(false);
    const message = {
      type: "message",
      stop_reason: "end_turn",
      content: [{ type: "text", text: "hi" }],
    };
    expect(isStorableAnswer("anthropic", message)).toBe(true);
    expect(
      isStorableAnswer("anthropic", {
        ...message,
        content: [{ type: "tool_use", id: "t", input: {} }],
      }),
    ).toBe(false);
    expect(isStorableAnswer("anthropic", { ...message, stop_reason: "tool_use" })).toBe(false);
  });
});
