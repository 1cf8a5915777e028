import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call, chat } from "./helpers/http.js";
import { healthzWhileTokenizing, oneWord } from "./helpers/tokenizer-spy.js";

vi.mock("gpt-tokenizer/encoding/o200k_base", async () =>
  (await import("./helpers/tokenizer-spy.js")).spiedO200k(),
);

// Issue 14.1: one long word must not freeze the replica. The gateway and the mock upstream
// run in this process, on this event loop: /healthz, asked once the gateway has started to
// tokenize the word, must be answered while the word is still being counted, and before
// the word's own request.

/** 100k letters: about 52k o200k tokens, inside gpt-a's 100k window (but not by the byte bound). */
const LENGTH = 100_000;

describe("completions with one long word", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      server: { port: 0, body_limit_bytes: 1024 * 1024, shutdown_timeout_ms: 2_000 },
      // The mock counts the prompt too before it answers.
      upstream: { headers_timeout_ms: 60_000, body_timeout_ms: 60_000 },
    });
  });
  afterAll(() => h?.close());

  const withHealthCheck = (model: string, seed: number) =>
    healthzWhileTokenizing(h.url, "completion", () =>
      call(
        `${h.url}/v1/chat/completions`,
        "POST",
        chat(model, oneWord(LENGTH, seed)),
        bearer(KEY_A),
      ),
    );

  it("over the context window: /healthz answers meanwhile, then a 400 with the count", async () => {
    const { order, reply: big, countedMeanwhile } = await withHealthCheck("tiny-context", 1);
    expect(countedMeanwhile).toBeLessThan(LENGTH);
    expect(order).toEqual(["healthz 200", "completion 400"]);
    expect(big.json.error.code).toBe("context_length_exceeded");
    const counted = Number(/\((\d+) input tokens/.exec(big.json.error.message)?.[1]);
    expect(counted).toBeGreaterThan(30_000);
    expect(counted).toBeLessThan(LENGTH);
  });

  it("inside the window: /healthz answers meanwhile, then a 200 whose usage the mock counted", async () => {
    const { order, reply: big, countedMeanwhile } = await withHealthCheck("gpt-a", 2);
    expect(countedMeanwhile).toBeLessThan(LENGTH);
    expect(order).toEqual(["healthz 200", "completion 200"]);
    expect(big.json.usage.prompt_tokens).toBeGreaterThan(30_000);
    expect(big.json.usage.prompt_tokens).toBeLessThan(LENGTH);
  });
});
