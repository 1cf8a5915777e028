import { describe, expect, it } from "vitest";
import { replayAsStream } from "../src/stream/replay-stream.js";
import { SseDecoder } from "../src/stream/sse-decoder.js";

describe("replaying a stored answer as a stream", () => {
  it("OpenAI: role, content, finish, usage (when asked), [DONE]", () => {
    const out = replayAsStream(
      "openai",
      {
        id: "c1",
        created: 1,
        model: "m",
        choices: [
          { index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      },
      true,
    );
    const events = new SseDecoder().push(Buffer.from(out)).map((e) => e.data);
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(chunks[1].choices[0].delta.content).toBe("Hello");
    expect(chunks[2].choices[0].finish_reason).toBe("stop");
    expect(chunks[3].usage.total_tokens).toBe(4);
    expect(replayAsStream("openai", { choices: [] }, false)).not.toContain("usage");
  });

  it("Anthropic: the full event sequence", () => {
    const out = replayAsStream(
      "anthropic",
      {
        id: "msg_1",
        model: "m",
        content: [{ type: "text", text: "Hi" }],
        stop_reason: "end_turn",
        usage: { input_tokens: 3, output_tokens: 1 },
      },
      false,
    );
    const types = new SseDecoder().push(Buffer.from(out)).map((e) => e.event);
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });
});
