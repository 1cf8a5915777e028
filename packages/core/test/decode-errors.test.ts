import { describe, expect, it } from "vitest";
import {
  parseNewRoute,
  parseRoute,
  parseRoutePatch,
  RouteValidationError,
  SwitchyardError,
} from "../src/index.js";

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RouteValidationError);
    return (error as RouteValidationError).issues;
  }
  throw new Error("expected a RouteValidationError");
}

const valid = { name: "n", then: { target_model: "m" } };

describe("parseNewRoute rejects wrong types with the field's path", () => {
  it.each([
    ["a non-object body", 42, ""],
    ["a missing name", { then: { target_model: "m" } }, "name"],
    ["a non-string name", { ...valid, name: 3 }, "name"],
    ["a missing then", { name: "n" }, "then"],
    ["a missing target_model", { name: "n", then: {} }, "then.target_model"],
    ["a numeric target_model", { name: "n", then: { target_model: 1 } }, "then.target_model"],
    ["a fractional priority", { ...valid, priority: 1.5 }, "priority"],
    ["a negative priority", { ...valid, priority: -1 }, "priority"],
    ["a priority above 2^32-1", { ...valid, priority: 4_294_967_296 }, "priority"],
    ["a string priority", { ...valid, priority: "5" }, "priority"],
    ["a string enabled", { ...valid, enabled: "yes" }, "enabled"],
    ["an array when", { ...valid, when: [] }, "when"],
    ["a string model_in", { ...valid, when: { model_in: "gpt-4o" } }, "when.model_in"],
    ["a number inside model_in", { ...valid, when: { model_in: ["a", 2] } }, "when.model_in[1]"],
    ["a negative token bound", { ...valid, when: { input_tokens_lt: -1 } }, "when.input_tokens_lt"],
    [
      "a fractional token bound",
      { ...valid, when: { input_tokens_gt: 1.5 } },
      "when.input_tokens_gt",
    ],
    ["a numeric tag", { ...valid, when: { tag_equals: 1 } }, "when.tag_equals"],
    ["a string has_images", { ...valid, when: { has_images: "true" } }, "when.has_images"],
    ["a string has_audio", { ...valid, when: { has_audio: 1 } }, "when.has_audio"],
    [
      "a non-array keyword list",
      { ...valid, when: { prompt_contains_any_of: "x" } },
      "when.prompt_contains_any_of",
    ],
    [
      "a string cost bound",
      { ...valid, when: { estimated_cost_gt: "1" } },
      "when.estimated_cost_gt",
    ],
    [
      "a non-finite cost bound",
      { ...valid, when: { estimated_cost_lt: Number.POSITIVE_INFINITY } },
      "when.estimated_cost_lt",
    ],
    [
      "a string fallback list",
      { name: "n", then: { target_model: "m", fallbacks: "x" } },
      "then.fallbacks",
    ],
    [
      "a numeric disable_cache",
      { name: "n", then: { target_model: "m", disable_cache: 1 } },
      "then.disable_cache",
    ],
    [
      "a string max_cost_usd",
      { name: "n", then: { target_model: "m", max_cost_usd: "1" } },
      "then.max_cost_usd",
    ],
  ])("%s", (_label, input, path) => {
    const issues = issuesOf(() => parseNewRoute(input));
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it("reports every problem at once, each with a message that says what to fix", () => {
    const issues = issuesOf(() =>
      parseNewRoute({ name: 1, priority: -5, when: { model_in: [1] }, then: {} }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      "name",
      "priority",
      "when.model_in[0]",
      "then.target_model",
    ]);
    expect(issues[1]?.message).toBe("must be an integer from 0 to 4294967295, got -5");
  });

  it("errors carry the stable code E_INVALID_ROUTE and a readable message", () => {
    try {
      parseNewRoute({ name: "n", then: { target_model: 5 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SwitchyardError);
      expect((error as SwitchyardError).code).toBe("E_INVALID_ROUTE");
      expect((error as Error).message).toBe(
        "invalid route: then.target_model: must be a string, got a number",
      );
    }
  });
});

describe("error messages name what was sent in plain words", () => {
  it("a missing then is 'nothing', an object is 'an object'", () => {
    expect(issuesOf(() => parseNewRoute({ name: "n" }))[0]?.message).toContain(
      "got nothing (the field is missing)",
    );
    expect(issuesOf(() => parseNewRoute({ ...valid, name: { first: "x" } }))[0]?.message).toBe(
      "must be a string, got an object",
    );
  });
});

describe("parseRoute", () => {
  it("requires a UUID id", () => {
    expect(issuesOf(() => parseRoute(valid))[0]?.path).toBe("id");
    expect(issuesOf(() => parseRoute({ ...valid, id: "42" }))[0]?.message).toContain("UUID");
  });
});

describe("parseRoutePatch", () => {
  it("keeps only the fields it names", () => {
    expect(parseRoutePatch({ enabled: false })).toEqual({ enabled: false });
    expect(parseRoutePatch({ priority: 3, then: { target_model: "x" } })).toEqual({
      priority: 3,
      then: { target_model: "x" },
    });
  });

  it("rejects unknown fields, so a typo is never a silent no-op", () => {
    expect(issuesOf(() => parseRoutePatch({ enable: false }))[0]?.path).toBe("enable");
  });

  it("rejects an empty patch and a non-object", () => {
    expect(issuesOf(() => parseRoutePatch({}))[0]?.message).toContain("no field to change");
    expect(issuesOf(() => parseRoutePatch([]))[0]?.path).toBe("");
  });

  it("ignores an id sent back with the route", () => {
    expect(parseRoutePatch({ id: "x", name: "renamed" })).toEqual({ name: "renamed" });
  });
});
