import { describe, expect, it } from "vitest";
import {
  applyRoutePatch,
  type CatalogModel,
  parseNewRoute,
  RouteValidationError,
  unwrapValidation,
  validateNewRoute,
  validateRoutePatch,
} from "../src/index.js";

const base = { name: "n", then: { target_model: "gpt-4o-mini" } };

function pathsOf(input: unknown, catalog?: Map<string, CatalogModel>) {
  const result = validateNewRoute(input, catalog);
  return result.ok ? [] : result.issues.map((i) => i.path);
}

function messageAt(input: unknown, path: string, catalog?: Map<string, CatalogModel>) {
  const result = validateNewRoute(input, catalog);
  return result.ok ? undefined : result.issues.find((i) => i.path === path)?.message;
}

describe("validateNewRoute accepts sound routes", () => {
  it("returns the decoded route with defaults", () => {
    const result = validateNewRoute(base);
    expect(result).toEqual({ ok: true, value: parseNewRoute(base) });
  });

  it("accepts an empty keyword, an empty tag and a zero cost ceiling", () => {
    const input = {
      ...base,
      when: { prompt_contains_any_of: [""], tag_equals: "" },
      then: { target_model: "m", max_cost_usd: 0 },
    };
    expect(validateNewRoute(input).ok).toBe(true);
  });
});

describe("structural checks", () => {
  it("rejects an empty or blank name", () => {
    expect(pathsOf({ ...base, name: "" })).toEqual(["name"]);
    expect(pathsOf({ ...base, name: "   " })).toEqual(["name"]);
  });

  it("rejects an empty target", () => {
    expect(pathsOf({ name: "n", then: { target_model: "" } })).toEqual(["then.target_model"]);
  });

  it("rejects a priority outside 0..2^32-1", () => {
    expect(pathsOf({ ...base, priority: -1 })).toEqual(["priority"]);
    expect(pathsOf({ ...base, priority: 2 ** 32 })).toEqual(["priority"]);
    expect(pathsOf({ ...base, priority: 2 ** 32 - 1 })).toEqual([]);
  });

  it("rejects token bounds no count can satisfy", () => {
    const at = (gt: number, lt: number) =>
      pathsOf({ ...base, when: { input_tokens_gt: gt, input_tokens_lt: lt } });
    expect(at(500, 100)).toEqual(["when.input_tokens_gt"]);
    expect(at(100, 100)).toEqual(["when.input_tokens_gt"]);
    expect(at(100, 101)).toEqual(["when.input_tokens_gt"]);
    expect(at(100, 102)).toEqual([]);
    expect(pathsOf({ ...base, when: { input_tokens_lt: 0 } })).toEqual(["when.input_tokens_lt"]);
  });

  it("rejects cost bounds no cost can satisfy, and negative costs", () => {
    const at = (gt: number, lt: number) =>
      pathsOf({ ...base, when: { estimated_cost_gt: gt, estimated_cost_lt: lt } });
    expect(at(1, 1)).toEqual(["when.estimated_cost_gt"]);
    expect(at(2, 1)).toEqual(["when.estimated_cost_gt"]);
    expect(at(1, 2)).toEqual([]);
    expect(pathsOf({ ...base, when: { estimated_cost_gt: -0.5 } })).toEqual([
      "when.estimated_cost_gt",
    ]);
    expect(pathsOf({ ...base, when: { estimated_cost_lt: -1 } })).toEqual([
      "when.estimated_cost_lt",
    ]);
    expect(pathsOf({ name: "n", then: { target_model: "m", max_cost_usd: -1 } })).toEqual([
      "then.max_cost_usd",
    ]);
  });

  it("rejects an empty model name in model_in", () => {
    expect(pathsOf({ ...base, when: { model_in: ["a", ""] } })).toEqual(["when.model_in[1]"]);
  });

  it("rejects a fallback equal to the target, repeated, or empty", () => {
    const then = { target_model: "a", fallbacks: ["b", "a", "b", ""] };
    expect(pathsOf({ name: "n", then })).toEqual([
      "then.fallbacks[1]",
      "then.fallbacks[2]",
      "then.fallbacks[3]",
    ]);
    expect(messageAt({ name: "n", then }, "then.fallbacks[1]")).toContain(
      "repeats the target_model",
    );
  });

  it("rejects wrong types through the same result, without throwing", () => {
    expect(pathsOf({ ...base, when: { has_images: "yes" } })).toEqual(["when.has_images"]);
    expect(pathsOf(null)).toEqual([""]);
  });
});

describe("capability check (reference validate_capability)", () => {
  const catalog = new Map<string, CatalogModel>([
    ["text-only", { capabilities: { vision: false } }],
    ["no-capabilities-listed", {}],
    ["vision-model", { capabilities: { vision: true } }],
  ]);
  const route = (target: string, when: object) => ({
    name: "n",
    when,
    then: { target_model: target },
  });

  it("rejects an image route whose known target lacks vision, with the reference message", () => {
    expect(messageAt(route("text-only", { has_images: true }), "then.target_model", catalog)).toBe(
      "target_model `text-only` is missing the `vision` capability required by this route's content-type condition",
    );
    expect(pathsOf(route("no-capabilities-listed", { has_images: true }), catalog)).toEqual([
      "then.target_model",
    ]);
  });

  it("applies to audio routes too", () => {
    expect(pathsOf(route("text-only", { has_audio: true }), catalog)).toEqual([
      "then.target_model",
    ]);
  });

  it("passes vision targets, unknown targets, has_images: false, and no catalog", () => {
    expect(pathsOf(route("vision-model", { has_images: true }), catalog)).toEqual([]);
    expect(pathsOf(route("unknown", { has_images: true }), catalog)).toEqual([]);
    expect(pathsOf(route("text-only", { has_images: false }), catalog)).toEqual([]);
    expect(pathsOf(route("text-only", { has_images: true }))).toEqual([]);
  });

  it("does not check fallbacks", () => {
    const input = {
      name: "n",
      when: { has_images: true },
      then: { target_model: "vision-model", fallbacks: ["text-only"] },
    };
    expect(pathsOf(input, catalog)).toEqual([]);
  });
});

describe("validateRoutePatch", () => {
  const current = parseNewRoute({
    name: "n",
    when: { input_tokens_lt: 100 },
    then: { target_model: "m" },
  });

  it("validates the route as it would be after the patch", () => {
    const result = validateRoutePatch(current, { when: { input_tokens_gt: 10 } });
    expect(result.ok).toBe(true);
    const crossing = validateRoutePatch(current, {
      when: { input_tokens_lt: 100, input_tokens_gt: 200 },
    });
    expect(crossing.ok).toBe(false);
  });

  it("returns only the decoded patch, which applyRoutePatch merges", () => {
    const patch = unwrapValidation(validateRoutePatch(current, { enabled: false, priority: 7 }));
    expect(patch).toEqual({ enabled: false, priority: 7 });
    expect(applyRoutePatch(current, patch)).toEqual({ ...current, enabled: false, priority: 7 });
  });

  it("unwrapValidation throws a RouteValidationError listing the issues", () => {
    expect(() => unwrapValidation(validateRoutePatch(current, { name: "" }))).toThrow(
      RouteValidationError,
    );
  });
});
