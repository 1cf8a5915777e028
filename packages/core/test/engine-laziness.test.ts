import { describe, expect, it } from "vitest";
import { RoutingEngine } from "../src/index.js";
import { route } from "./fixtures.js";

/** A request whose `messages` getter counts how often the engine walks the prompt. */
function countingRequest(messages: unknown[]) {
  let reads = 0;
  const request = {
    model: "gpt-4o",
    get messages() {
      reads += 1;
      return messages;
    },
  };
  return { request, reads: () => reads };
}

const messages = [{ role: "user", content: "nothing to see" }];

describe("per-request work is done once and only when needed", () => {
  it("never reads the messages when no route needs prompt text or modality", () => {
    const engine = new RoutingEngine([
      route({ when: { model_in: ["gpt-4o"], input_tokens_gt: 1000 } }),
      route({ when: { tag_equals: "x" } }),
    ]);
    const { request, reads } = countingRequest(messages);
    expect(engine.evaluate(request, {}, 10)).toBeUndefined();
    expect(reads()).toBe(0);
  });

  it("builds the prompt text once however many keyword routes it visits", () => {
    const keywordRoutes = Array.from({ length: 50 }, (_, i) =>
      route({ when: { prompt_contains_any_of: [`kw-${i}`] } }),
    );
    const engine = new RoutingEngine(keywordRoutes);
    const { request, reads } = countingRequest(messages);
    expect(engine.evaluate(request, {}, 10)).toBeUndefined();
    expect(reads()).toBe(1);
  });

  it("scans for image and audio parts once for all modality routes", () => {
    const engine = new RoutingEngine([
      route({ when: { has_images: true } }),
      route({ when: { has_audio: true } }),
      route({ when: { has_images: true, has_audio: true } }),
    ]);
    const { request, reads } = countingRequest(messages);
    engine.evaluate(request, {}, 10);
    expect(reads()).toBe(1);
  });

  it("forgets the previous request: each evaluation sees its own prompt", () => {
    const engine = new RoutingEngine([route({ when: { prompt_contains_any_of: ["refund"] } })]);
    const refund = { model: "m", messages: [{ role: "user", content: "refund" }] };
    const other = { model: "m", messages: [{ role: "user", content: "other" }] };
    expect(engine.evaluate(refund, {}, 1)).toBeDefined();
    expect(engine.evaluate(other, {}, 1)).toBeUndefined();
    expect(engine.evaluate(refund, {}, 1)).toBeDefined();
  });
});
