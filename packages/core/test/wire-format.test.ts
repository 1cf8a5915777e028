import { describe, expect, expectTypeOf, it } from "vitest";
import {
  actionToWire,
  conditionsToWire,
  emptyConditions,
  newRouteToWire,
  parseNewRoute,
  parseRoute,
  parseRouteConditions,
  routeToWire,
  serializeRoute,
  type WireAction,
  type WireConditions,
  type WireNewRoute,
  type WireRoute,
} from "../src/index.js";

const ID = "0190a8b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b";

describe("wire form of conditions", () => {
  it("RouteConditions::default() is exactly the four always-present fields", () => {
    expect(JSON.stringify(conditionsToWire(emptyConditions()))).toBe(
      '{"model_in":[],"input_tokens_lt":null,"input_tokens_gt":null,"tag_equals":null}',
    );
  });

  it("omits the optional fields when empty but writes false booleans", () => {
    const wire = conditionsToWire({
      ...emptyConditions(),
      has_images: false,
      prompt_contains_any_of: [],
    });
    expect(wire).toEqual({
      model_in: [],
      input_tokens_lt: null,
      input_tokens_gt: null,
      tag_equals: null,
      has_images: false,
    });
  });

  it("an absent or empty `when` reads as the default", () => {
    expect(parseRouteConditions({})).toEqual(emptyConditions());
    expect(parseRouteConditions(undefined)).toEqual(emptyConditions());
    expect(parseNewRoute({ name: "n", then: { target_model: "m" } }).when).toEqual(
      emptyConditions(),
    );
  });
});

describe("round trips", () => {
  it("a full route survives parse -> serialize -> parse unchanged, keys in reference order", () => {
    const json = {
      id: ID,
      name: "full",
      priority: 4_294_967_295,
      enabled: false,
      when: {
        model_in: ["gpt-4o", "gpt-4o-mini"],
        input_tokens_lt: 5000,
        input_tokens_gt: 10,
        tag_equals: "batch",
        has_images: true,
        has_audio: false,
        prompt_contains_any_of: ["refund", ""],
        estimated_cost_gt: 0.01,
        estimated_cost_lt: 2.5,
        stream: true,
        has_tools: false,
      },
      then: {
        target_model: "claude-sonnet",
        fallbacks: ["gpt-4o", "gpt-4o-mini"],
        disable_cache: true,
        max_cost_usd: 0.25,
      },
    };
    const route = parseRoute(json);
    expect(routeToWire(route)).toEqual(json);
    expect(serializeRoute(route)).toBe(JSON.stringify(json));
    expect(parseRoute(JSON.parse(serializeRoute(route)))).toEqual(route);
  });

  it("a minimal route gets the defaults and writes the minimal action", () => {
    const route = parseRoute({ id: ID, name: "min", then: { target_model: "x" } });
    expect(route).toMatchObject({ priority: 100, enabled: true, when: emptyConditions() });
    expect(serializeRoute(route)).toBe(
      `{"id":"${ID}","name":"min","priority":100,"enabled":true,"when":{"model_in":[],"input_tokens_lt":null,"input_tokens_gt":null,"tag_equals":null},"then":{"target_model":"x"}}`,
    );
    expect(parseRoute(JSON.parse(serializeRoute(route)))).toEqual(route);
  });

  it("a route written by the reference crate (nulls, defaults written out) loads", () => {
    const reference = {
      id: ID,
      name: "r",
      priority: 10,
      enabled: true,
      when: {
        model_in: [],
        input_tokens_lt: null,
        input_tokens_gt: null,
        tag_equals: null,
        has_images: null,
      },
      then: { target_model: "m", fallbacks: [], disable_cache: false, max_cost_usd: null },
    };
    const route = parseRoute(reference);
    expect(route.when).toEqual(emptyConditions());
    expect(route.then).toEqual({ target_model: "m" });
  });
});

describe("forward and backward compatibility", () => {
  it("ignores the legacy force_cache_layer on read and never writes it", () => {
    const route = parseRoute({
      id: ID,
      name: "legacy",
      then: { target_model: "m", force_cache_layer: "l2" },
    });
    expect(route.then).toEqual({ target_model: "m" });
    expect(serializeRoute(route)).not.toContain("force_cache_layer");
  });

  it("ignores unknown keys at every level", () => {
    const route = parseRoute({
      id: ID,
      name: "future",
      color: "blue",
      when: { model_in: ["a"], some_new_condition: { x: 1 } },
      then: { target_model: "m", new_knob: true },
    });
    expect(route.when).toEqual({ ...emptyConditions(), model_in: ["a"] });
    expect(serializeRoute(route)).not.toMatch(/color|some_new_condition|new_knob/);
  });

  it("normalizes an upper-case id to lower case", () => {
    expect(parseRoute({ id: ID.toUpperCase(), name: "n", then: { target_model: "m" } }).id).toBe(
      ID,
    );
  });
});

// Checked by the package's typecheck (`tsc --noEmit`): a looser type (such as
// `Record<string, unknown>`) fails the `toEqualTypeOf`s and leaves the
// `@ts-expect-error`s unused.
describe("wire types", () => {
  it("name what the serializers return", () => {
    const route = parseRoute({ id: ID, name: "typed", then: { target_model: "m" } });
    expectTypeOf(routeToWire(route)).toEqualTypeOf<WireRoute>();
    expectTypeOf(newRouteToWire(route)).toEqualTypeOf<WireNewRoute>();
    expectTypeOf(conditionsToWire(route.when)).toEqualTypeOf<WireConditions>();
    expectTypeOf(actionToWire(route.then)).toEqualTypeOf<WireAction>();
    const wire: WireRoute = routeToWire(route);
    expect(wire.then.target_model).toBe("m");
    expect(wire.when.model_in).toEqual([]);
  });

  it("type every field, and only the known ones", () => {
    expectTypeOf<WireRoute>().toEqualTypeOf<{
      id: string;
      name: string;
      priority: number;
      enabled: boolean;
      when: WireConditions;
      then: WireAction;
    }>();
    expectTypeOf<WireConditions["model_in"]>().toEqualTypeOf<string[]>();
    expectTypeOf<WireConditions["tag_equals"]>().toEqualTypeOf<string | null>();
    expectTypeOf<WireAction["disable_cache"]>().toEqualTypeOf<true | undefined>();
    const when: WireConditions = conditionsToWire(emptyConditions());
    // @ts-expect-error a misspelt condition is not part of the wire form
    const typo: WireConditions = { ...when, modle_in: [] };
    // @ts-expect-error the written action never carries disable_cache: false
    const off: WireAction = { target_model: "m", disable_cache: false };
    expect([typo.model_in, off.target_model]).toEqual([[], "m"]);
  });
});
