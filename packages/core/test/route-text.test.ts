import { describe, expect, it } from "vitest";
import {
  MAX_ROUTE_NAME_LENGTH,
  MAX_ROUTE_STRING_LENGTH,
  parseRoute,
  validateNewRoute,
  validateRoutePatch,
} from "../src/index.js";

/*
 * Issue 14 (attacker pass): route names go into the `x-switchyard-route`
 * response header and every route string into Postgres text/jsonb, so writes
 * reject what neither can carry; reads stay lenient.
 */

const base = { name: "n", then: { target_model: "gpt-4o-mini" } };

function issuesOf(input: unknown) {
  const result = validateNewRoute(input);
  return result.ok ? [] : result.issues;
}

const pathsOf = (input: unknown) => issuesOf(input).map((i) => i.path);

describe("route names on write", () => {
  it.each([
    ["Cyrillic", "оpus"],
    ["CJK", "路由"],
    ["emoji", "fast 🚀 lane"],
    ["inner spaces and punctuation", "tag: a/b (v2) 50%"],
    ["the longest allowed", "x".repeat(MAX_ROUTE_NAME_LENGTH)],
    ["the longest allowed, in astral characters", "🚀".repeat(MAX_ROUTE_NAME_LENGTH)],
  ])("accepts %s", (_label, name) => {
    expect(validateNewRoute({ ...base, name }).ok).toBe(true);
  });

  it.each([
    ["a newline", "a\nb", "control character U+000A"],
    ["NUL", "a\u0000b", "control character U+0000"],
    ["DEL", "a\u007fb", "control character U+007F"],
    ["a C1 control", "a\u0085b", "control character U+0085"],
    ["a tab", "a\tb", "control character U+0009"],
    ["a zero-width space", "a\u200bb", "invisible format character U+200B"],
    ["a byte-order mark", "\ufeffname", "invisible format character U+FEFF"],
    ["a lone high surrogate", "a\ud800b", "lone surrogate U+D800"],
    ["a lone low surrogate", "a\udc00", "lone surrogate U+DC00"],
    ["a trailing space", "name ", "leading or trailing whitespace"],
    ["a leading space", " name", "leading or trailing whitespace"],
    ["a trailing no-break space", "name\u00a0", "leading or trailing whitespace"],
    ["201 characters", "x".repeat(MAX_ROUTE_NAME_LENGTH + 1), "at most 200 characters"],
  ])("rejects %s with an issue at name", (_label, name, message) => {
    const issues = issuesOf({ ...base, name });
    expect(issues.map((i) => i.path)).toEqual(["name"]);
    expect(issues[0]?.message).toContain(message);
  });

  it("a patch renaming to a bad name is rejected at name", () => {
    const result = validateRoutePatch(parseRoute({ id: UUID, ...base }), { name: "a\nb" });
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(["name"]);
  });
});

const UUID = "01900000-0000-7000-8000-000000000001";

describe("every other route string on write", () => {
  it.each([
    [{ ...base, when: { tag_equals: "a\u0000b" } }, "when.tag_equals"],
    [{ ...base, when: { tag_equals: "a\udfffb" } }, "when.tag_equals"],
    [{ ...base, when: { model_in: ["ok", "m\u0000"] } }, "when.model_in[1]"],
    [
      { ...base, when: { prompt_contains_any_of: ["ok", "\ud83d"] } },
      "when.prompt_contains_any_of[1]",
    ],
    [{ ...base, then: { target_model: "m\u0000" } }, "then.target_model"],
    [{ ...base, then: { target_model: "m", fallbacks: ["\ud800x"] } }, "then.fallbacks[0]"],
  ])("rejects NUL and lone surrogates (%#) at the field's path", (input, path) => {
    expect(pathsOf(input)).toEqual([path]);
  });

  it("caps each string at MAX_ROUTE_STRING_LENGTH characters", () => {
    const long = "k".repeat(MAX_ROUTE_STRING_LENGTH + 1);
    expect(pathsOf({ ...base, when: { prompt_contains_any_of: ["a", long] } })).toEqual([
      "when.prompt_contains_any_of[1]",
    ]);
    expect(pathsOf({ ...base, when: { tag_equals: long } })).toEqual(["when.tag_equals"]);
    const atCap = "k".repeat(MAX_ROUTE_STRING_LENGTH);
    expect(validateNewRoute({ ...base, when: { tag_equals: atCap } }).ok).toBe(true);
  });

  it("other control characters and non-Latin-1 text stay allowed in keywords and tags", () => {
    const input = { ...base, when: { tag_equals: "тег 🚀", prompt_contains_any_of: ["a\nb"] } };
    expect(validateNewRoute(input).ok).toBe(true);
  });
});

describe("reads stay lenient", () => {
  it("parseRoute loads a stored route whose name and tag break the write rules", () => {
    const route = parseRoute({
      id: UUID,
      name: " a\nb\u200b ",
      when: { tag_equals: "t\u0000" },
      then: { target_model: "m" },
    });
    expect(route.name).toBe(" a\nb\u200b ");
    expect(route.when.tag_equals).toBe("t\u0000");
  });
});
