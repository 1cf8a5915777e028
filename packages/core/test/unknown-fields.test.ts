import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CONDITION_ORDER,
  emptyConditions,
  parseNewRoute,
  parseRoute,
  parseRouteAction,
  parseRouteConditions,
  parseRoutePatch,
  RouteValidationError,
  type ValidationIssue,
  validateNewRoute,
  validateRoutePatch,
} from "../src/index.js";

/*
 * Writes are strict: a key the route format does not know (a typo such as
 * `when.modle_in`) is an issue at its path, never silently dropped, since a
 * dropped condition widens the route to every request. Reads of stored routes
 * stay lenient, so rows written by a newer version still load.
 */

const base = { name: "n", then: { target_model: "gpt-4o-mini" } };
const current = parseNewRoute({ ...base, when: { model_in: ["gpt-4o"] } });

function issuesOf(result: { ok: boolean; issues?: readonly ValidationIssue[] }) {
  return result.ok ? [] : (result.issues ?? []);
}

function issueAt(issues: readonly ValidationIssue[], path: string): string | undefined {
  return issues.find((i) => i.path === path)?.message;
}

describe("validateNewRoute rejects unknown fields at every level", () => {
  it("a misspelled condition is an issue at when.<key>, with a hint and the known conditions", () => {
    const issues = issuesOf(validateNewRoute({ ...base, when: { modle_in: ["gpt-4o"] } }));
    expect(issues.map((i) => i.path)).toEqual(["when.modle_in"]);
    const message = issueAt(issues, "when.modle_in") ?? "";
    expect(message).toContain("did you mean model_in?");
    for (const known of ["input_tokens_lt", "prompt_contains_any_of", "stream", "has_tools"]) {
      expect(message).toContain(known);
    }
  });

  it("a misspelled action field is an issue at then.<key>", () => {
    const issues = issuesOf(
      validateNewRoute({ name: "n", then: { target_model: "m", fallback: ["x"] } }),
    );
    expect(issues.map((i) => i.path)).toEqual(["then.fallback"]);
    expect(issueAt(issues, "then.fallback")).toContain("did you mean fallbacks?");
  });

  it("a misspelled or extra route field is an issue at its key", () => {
    const issues = issuesOf(validateNewRoute({ ...base, priorty: 5, org_id: "x" }));
    expect(issues.map((i) => i.path).sort()).toEqual(["org_id", "priorty"]);
    expect(issueAt(issues, "priorty")).toContain("did you mean priority?");
    expect(issueAt(issues, "org_id")).not.toContain("did you mean");
    expect(issueAt(issues, "org_id")).toContain("name, priority, enabled, when, then");
  });

  it("an unknown key is rejected whatever its value, null included", () => {
    const issues = issuesOf(validateNewRoute({ ...base, when: { Model_In: null } }));
    expect(issues.map((i) => i.path)).toEqual(["when.Model_In"]);
    expect(issueAt(issues, "when.Model_In")).toContain("did you mean model_in?");
  });

  it("keys named like Object.prototype members are unknown too", () => {
    const body = JSON.parse(
      '{"name":"n","__proto__":{"x":1},"when":{"constructor":1},"then":{"target_model":"m","toString":2}}',
    );
    const paths = issuesOf(validateNewRoute(body)).map((i) => i.path);
    expect(paths.sort()).toEqual(["__proto__", "then.toString", "when.constructor"]);
  });

  it("an id is rejected: the store assigns it", () => {
    const issues = issuesOf(
      validateNewRoute({ ...base, id: "01900000-0000-7000-8000-000000000001" }),
    );
    expect(issues.map((i) => i.path)).toEqual(["id"]);
    expect(issueAt(issues, "id")).toContain("assigned by the store");
  });

  it("the legacy then.force_cache_layer is accepted and dropped, as reads do", () => {
    const result = validateNewRoute({
      name: "n",
      then: { target_model: "m", force_cache_layer: "l2" },
    });
    expect(result).toEqual({
      ok: true,
      value: parseNewRoute({ name: "n", then: { target_model: "m" } }),
    });
  });

  it("unknown fields are reported with every other issue at once", () => {
    const issues = issuesOf(
      validateNewRoute({ name: 1, when: { modle_in: [], input_tokens_lt: "x" }, then: {} }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual([
      "name",
      "then.target_model",
      "when.input_tokens_lt",
      "when.modle_in",
    ]);
  });

  it("every known field still passes", () => {
    const route = {
      name: "all",
      priority: 7,
      enabled: false,
      when: {
        model_in: ["a"],
        input_tokens_lt: 10,
        input_tokens_gt: 1,
        tag_equals: "t",
        has_images: false,
        has_audio: false,
        prompt_contains_any_of: ["k"],
        estimated_cost_gt: 0,
        estimated_cost_lt: 1,
        stream: true,
        has_tools: true,
      },
      then: { target_model: "m", fallbacks: ["f"], disable_cache: true, max_cost_usd: 1 },
    };
    expect(issuesOf(validateNewRoute(route))).toEqual([]);
  });

  it('unknownFields: "ignore" drops them instead (e.g. re-creating routes a newer version wrote)', () => {
    const body = {
      ...base,
      color: "blue",
      when: { modle_in: ["x"] },
      then: { target_model: "m", knob: 1 },
    };
    const result = validateNewRoute(body, undefined, { unknownFields: "ignore" });
    expect(result.ok && result.value.when).toEqual(emptyConditions());
  });
});

describe("validateRoutePatch rejects unknown fields at every level", () => {
  it("in when, in then and at the top; nothing is returned to write", () => {
    const cases: Array<[unknown, string, string]> = [
      [{ when: { modle_in: ["gpt-4o"] } }, "when.modle_in", "model_in"],
      [{ then: { target_model: "m", max_cost: 1 } }, "then.max_cost", "max_cost_usd"],
      [{ enable: false }, "enable", "enabled"],
      [{ name: "x", whne: {} }, "whne", "when"],
    ];
    for (const [patch, path, hint] of cases) {
      const issues = issuesOf(validateRoutePatch(current, patch));
      expect(
        issues.map((i) => i.path),
        JSON.stringify(patch),
      ).toEqual([path]);
      expect(issueAt(issues, path)).toContain(`did you mean ${hint}?`);
    }
  });

  it("an id in a patch is still ignored (a client may send back the route it read)", () => {
    const result = validateRoutePatch(current, { id: "x", enabled: false });
    expect(result).toEqual({ ok: true, value: { enabled: false } });
  });

  it('unknownFields: "ignore" drops them', () => {
    const patch = { enabled: false, when: { modle_in: ["x"] } };
    const result = validateRoutePatch(current, patch, undefined, { unknownFields: "ignore" });
    expect(result).toEqual({ ok: true, value: { enabled: false, when: emptyConditions() } });
  });

  it("parseRoutePatch is strict too (a patch is only ever written)", () => {
    try {
      parseRoutePatch({ when: { modle_in: [] } });
      expect.unreachable("a misspelled condition must throw");
    } catch (error) {
      expect(error).toBeInstanceOf(RouteValidationError);
      expect((error as RouteValidationError).issues[0]?.path).toBe("when.modle_in");
    }
  });
});

describe("reads stay lenient", () => {
  const extra = { future_knob: { x: 1 }, modle_in: ["typo"] };

  it("a stored route with extra keys at every level loads (rows of a newer version)", () => {
    const id = "01900000-0000-7000-8000-000000000001";
    const route = parseRoute({
      id,
      ...base,
      color: "blue",
      when: { model_in: ["a"], ...extra },
      then: { target_model: "m", ...extra },
    });
    expect(route).toMatchObject({ id, when: { model_in: ["a"] }, then: { target_model: "m" } });
    expect(parseNewRoute({ ...base, color: "blue" }).name).toBe("n");
  });

  it("the column decoders the stores use ignore extra keys", () => {
    expect(parseRouteConditions({ stream: true, ...extra })).toEqual({
      ...emptyConditions(),
      stream: true,
    });
    expect(parseRouteAction({ target_model: "m", ...extra })).toEqual({ target_model: "m" });
  });
});

const KNOWN: Record<"" | "when" | "then", readonly string[]> = {
  "": ["name", "priority", "enabled", "when", "then"],
  when: CONDITION_ORDER.filter((name) => name !== "enabled"),
  then: ["target_model", "fallbacks", "disable_cache", "max_cost_usd", "force_cache_layer"],
};
type Level = keyof typeof KNOWN;

/** A misspelling of a known key (drop, double, swap or replace a character), or any other string. */
const misspelling = (level: Level) =>
  fc
    .oneof(
      fc
        .tuple(
          fc.constantFrom(...KNOWN[level]),
          fc.nat(),
          fc.constantFrom(0, 1, 2, 3),
          fc.string({ minLength: 1, maxLength: 1 }),
        )
        .map(([key, at, edit, char]) => {
          const i = at % key.length;
          if (edit === 0) return key.slice(0, i) + key.slice(i + 1);
          if (edit === 1) return key.slice(0, i) + key[i] + key.slice(i);
          if (edit === 2) return key.slice(0, i) + (key[i + 1] ?? "") + key[i] + key.slice(i + 2);
          return key.slice(0, i) + char + key.slice(i + 1);
        }),
      fc.string({ maxLength: 12 }),
    )
    .filter((key) => !(KNOWN[level] as readonly string[]).includes(key) && key !== "id");

describe("property: any unknown key at any level is an issue at its path", () => {
  it("on create and on patch", () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom<Level>("", "when", "then")
          .chain((level) => fc.tuple(fc.constant(level), misspelling(level))),
        fc.jsonValue(),
        fc.boolean(),
        ([level, key], value, asPatch) => {
          const when: Record<string, unknown> = { model_in: ["gpt-4o"] };
          const then: Record<string, unknown> = { target_model: "m" };
          const body: Record<string, unknown> = asPatch ? { when, then } : { ...base, when, then };
          // defineProperty, so a key such as __proto__ is an own key, as JSON.parse makes it
          const target = level === "" ? body : level === "when" ? when : then;
          Object.defineProperty(target, key, { value, enumerable: true, writable: true });
          const path = level === "" ? key : `${level}.${key}`;
          const result = asPatch ? validateRoutePatch(current, body) : validateNewRoute(body);
          expect(result.ok).toBe(false);
          expect(issuesOf(result).map((i) => i.path)).toContain(path);
        },
      ),
      { numRuns: 500 },
    );
  });
});
