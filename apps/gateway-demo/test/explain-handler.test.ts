import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call, chat, routesApi } from "./helpers/http.js";
import { healthzWhileTokenizing, oneWord } from "./helpers/tokenizer-spy.js";

vi.mock("gpt-tokenizer/encoding/o200k_base", async () =>
  (await import("./helpers/tokenizer-spy.js")).spiedO200k(),
);

// Issue 14.1: explain always counts the prompt; one long word must not freeze the replica
// while it does. /healthz, asked once the gateway has started to tokenize, answers while
// the word is still being counted.

describe("explain with one long word", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      server: { port: 0, body_limit_bytes: 1024 * 1024, shutdown_timeout_ms: 2_000 },
    });
    const created = await routesApi(h.url, KEY_A).create({
      name: "long-prompts",
      when: { input_tokens_gt: 10_000 },
      then: { target_model: "gpt-b" },
    });
    expect(created.status).toBe(201);
  });
  afterAll(() => h?.close());

  it("answers /healthz meanwhile, then the count and the verdicts", async () => {
    const {
      order,
      reply: explained,
      countedMeanwhile,
    } = await healthzWhileTokenizing(h.url, "explain", () =>
      call(`${h.url}/v1/routes/explain`, "POST", chat("gpt-a", oneWord(100_000)), bearer(KEY_A)),
    );
    // Answered while the word was still being counted, and before the explanation.
    expect(countedMeanwhile).toBeLessThan(100_000);
    expect(order).toEqual(["healthz 200", "explain 200"]);
    expect(explained.json.input_tokens).toBeGreaterThan(30_000);
    expect(explained.json.input_tokens).toBeLessThan(100_000);
    expect(explained.json.decision).toMatchObject({ outcome: "routed", route: "long-prompts" });
  });
});
