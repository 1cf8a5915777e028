import { describe, expect, it } from "vitest";
import {
  parseRoute,
  parseRoutePatch,
  RouteValidationError,
  validateRoutePatch,
} from "../src/index.js";

/*
 * Issue 14 (attacker pass): `PATCH {"when": null}` wiped a route's conditions
 * (a tag route became match-all). In a patch, null is never "reset".
 */

const UUID = "01900000-0000-7000-8000-000000000001";
const base = { name: "n", then: { target_model: "gpt-4o-mini" } };

describe("null in a patch is an error, not a reset", () => {
  const current = parseRoute({ id: UUID, ...base, when: { tag_equals: "t" } });

  it.each(["when", "then", "name", "priority", "enabled"])(
    "%s: null is a 400 at that path",
    (key) => {
      const result = validateRoutePatch(current, { [key]: null });
      expect(result.ok).toBe(false);
      const issues = result.ok ? [] : result.issues;
      expect(issues.map((i) => i.path)).toEqual([key]);
      expect(issues[0]?.message).toContain("must not be null");
      expect(() => parseRoutePatch({ [key]: null })).toThrow(RouteValidationError);
    },
  );

  it("when: null says how to remove every condition", () => {
    const result = validateRoutePatch(current, { when: null });
    expect(result.ok ? "" : result.issues[0]?.message).toContain(
      "must be an object; to remove every condition send {}",
    );
  });

  it("when: {} still removes every condition", () => {
    const result = validateRoutePatch(current, { when: {} });
    expect(result.ok && result.value.when?.tag_equals).toBeNull();
  });
});
