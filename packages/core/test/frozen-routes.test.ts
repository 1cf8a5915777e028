import { describe, expect, it } from "vitest";
import { frozenRoute, type Route, RoutingEngine } from "../src/index.js";
import { chat, route, userMessage } from "./fixtures.js";

function isDeepFrozen(r: Route): boolean {
  return [
    r,
    r.when,
    r.then,
    r.when.model_in,
    r.when.prompt_contains_any_of ?? [],
    r.then.fallbacks ?? [],
  ].every(Object.isFrozen);
}

const keywords = () =>
  route({
    name: "kw",
    when: { model_in: ["m"], prompt_contains_any_of: ["invoice"] },
    then: { target_model: "t", fallbacks: ["f"] },
  });

describe("routes the engine hands out are deep-frozen; the caller's routes stay the caller's", () => {
  it("evaluate, findByName, explain and routes return deep-frozen routes", () => {
    const engine = new RoutingEngine([keywords()]);
    const request = chat("m", userMessage("an invoice"));
    const found = [
      engine.evaluate(request, {}, 1),
      engine.findByName("kw"),
      engine.explain(request, {}, 1).route,
      engine.explain(request, {}, 1).verdicts[0]?.route,
      engine.routes[0],
    ];
    for (const r of found) expect(r && isDeepFrozen(r)).toBe(true);
    expect(() => {
      (found[1] as Route).then.target_model = "x";
    }).toThrow(TypeError);
    expect(() => (found[0] as Route).when.model_in.push("x")).toThrow(TypeError);
    expect(engine.findByName("kw")?.then.target_model).toBe("t");
  });

  it("the routes given to the engine are neither frozen nor shared: changing them later changes nothing", () => {
    const mine = keywords();
    const engine = new RoutingEngine([mine]);
    expect(isDeepFrozen(mine)).toBe(false);
    mine.name = "renamed";
    mine.then.target_model = "changed";
    mine.when.prompt_contains_any_of?.push("anything");
    expect(engine.findByName("kw")?.then.target_model).toBe("t");
    expect(engine.findByName("renamed")).toBeUndefined();
    expect(engine.routes[0]?.when.prompt_contains_any_of).toEqual(["invoice"]);
  });

  it("frozenRoute returns a deep-frozen route as it is and a deep-frozen copy of any other", () => {
    const mine = keywords();
    const frozen = frozenRoute(mine);
    expect(frozen).not.toBe(mine);
    expect(frozen).toEqual(mine);
    expect(isDeepFrozen(frozen)).toBe(true);
    expect(isDeepFrozen(mine)).toBe(false);
    expect(frozenRoute(frozen)).toBe(frozen);
    const shallow = Object.freeze({ ...mine });
    const fixed = frozenRoute(shallow);
    expect(fixed).not.toBe(shallow);
    expect(isDeepFrozen(fixed)).toBe(true);
  });
});
