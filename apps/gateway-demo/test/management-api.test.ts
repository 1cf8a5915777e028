import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, KEY_A, KEY_B, startHarness } from "./helpers/harness.js";
import { bearer, call, chat, routesApi } from "./helpers/http.js";

let h: Harness;
let a: ReturnType<typeof routesApi>;
let b: ReturnType<typeof routesApi>;
beforeAll(async () => {
  h = await startHarness();
  a = routesApi(h.url, KEY_A);
  b = routesApi(h.url, KEY_B);
});
afterAll(() => h?.close());
beforeEach(async () => {
  await a.clear();
  await b.clear();
  h.mock.reset();
});

const minimal = { name: "r", then: { target_model: "gpt-b" } };

describe("authentication", () => {
  it("every routes endpoint answers 401 without a key, in the OpenAI envelope", async () => {
    const { json } = await a.create(minimal);
    const requests: Array<[string, string]> = [
      ["GET", "/v1/routes"],
      ["POST", "/v1/routes"],
      ["POST", "/v1/routes/explain"],
      ["GET", `/v1/routes/${json.id}`],
      ["PATCH", `/v1/routes/${json.id}`],
      ["DELETE", `/v1/routes/${json.id}`],
    ];
    for (const [method, path] of requests) {
      const reply = await call(
        `${h.url}${path}`,
        method,
        method === "GET" || method === "DELETE" ? undefined : minimal,
      );
      expect(reply.status, `${method} ${path}`).toBe(401);
      expect(reply.json.error).toMatchObject({
        type: "authentication_error",
        code: "invalid_api_key",
      });
    }
    expect((await a.get(json.id)).status).toBe(200);
  });
});

describe("CRUD", () => {
  it("POST validates and answers 201 with the stored route in wire form (defaults applied)", async () => {
    const reply = await a.create(minimal);
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      name: "r",
      priority: 100,
      enabled: true,
      when: { model_in: [], input_tokens_lt: null, input_tokens_gt: null, tag_equals: null },
      then: { target_model: "gpt-b" },
    });
    expect(reply.json.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it("GET lists all of the org's routes, disabled ones included; GET by id answers 200", async () => {
    const on = (await a.create(minimal)).json;
    const off = (await a.create({ ...minimal, name: "off", enabled: false })).json;
    const list = await a.list();
    expect(list.status).toBe(200);
    expect(list.json.data.map((r: { id: string }) => r.id)).toEqual([on.id, off.id]);
    expect((await a.get(off.id)).json).toMatchObject({ name: "off", enabled: false });
  });

  it("PATCH changes only the named fields and answers 200", async () => {
    const { id } = (await a.create({ ...minimal, priority: 7 })).json;
    const reply = await a.patch(id, { enabled: false });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ id, name: "r", priority: 7, enabled: false });
  });

  it("DELETE answers 200 {ok, id}, then 404", async () => {
    const { id } = (await a.create(minimal)).json;
    const reply = await a.remove(id);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ ok: true, id });
    expect((await a.remove(id)).status).toBe(404);
    expect((await a.get(id)).status).toBe(404);
  });

  it("missing and malformed ids are 404", async () => {
    for (const id of ["01900000-0000-7000-8000-0000000000ff", "not-a-uuid"]) {
      expect((await a.get(id)).status).toBe(404);
      expect((await a.patch(id, { enabled: false })).status).toBe(404);
      expect((await a.remove(id)).status).toBe(404);
    }
  });
});

describe("org isolation", () => {
  it("another org's key sees 404 for the route on GET, PATCH and DELETE, and it is not listed", async () => {
    const { id } = (await a.create(minimal)).json;
    for (const reply of [
      await b.get(id),
      await b.patch(id, { enabled: false }),
      await b.remove(id),
    ]) {
      expect(reply.status).toBe(404);
      expect(reply.json.error.code).toBe("route_not_found");
    }
    expect((await b.list()).json.data).toEqual([]);
    expect((await a.get(id)).json.enabled).toBe(true);
  });

  it("the org comes from the key, never from the body (an org field is unknown: 400, nothing written)", async () => {
    const reply = await a.create({ ...minimal, org_id: "01900000-0000-7000-8000-00000000000b" });
    expect(reply.status).toBe(400);
    expect(reply.json.error.param).toBe("org_id");
    expect((await b.list()).json.data).toEqual([]);
    expect((await a.list()).json.data).toEqual([]);
  });

  it("one org's routes never route another org's requests", async () => {
    await a.create({ name: "a-only", then: { target_model: "gpt-b" } });
    const reply = await call(
      `${h.url}/v1/chat/completions`,
      "POST",
      chat("gpt-a", "hi"),
      bearer(KEY_B),
    );
    expect(reply.headers.get("x-switchyard-route")).toBeNull();
  });
});

describe("validation: bad route bodies are 400 naming the field", () => {
  const cases: Array<[string, unknown, string]> = [
    ["missing name", { then: { target_model: "gpt-b" } }, "name"],
    ["missing target", { name: "x", then: {} }, "then.target_model"],
    ["wrong type for when", { ...minimal, when: "always" }, "when"],
    ["priority out of range", { ...minimal, priority: -1 }, "priority"],
    [
      "token bounds that never match",
      { ...minimal, when: { input_tokens_gt: 10, input_tokens_lt: 5 } },
      "when.input_tokens_gt",
    ],
    [
      "a fallback repeating the target",
      { name: "x", then: { target_model: "gpt-b", fallbacks: ["gpt-b"] } },
      "then.fallbacks[0]",
    ],
    [
      "an unknown target model",
      { name: "x", then: { target_model: "gtp-b" } },
      "then.target_model",
    ],
    [
      "an image route to a model without vision",
      { name: "x", when: { has_images: true }, then: { target_model: "no-vision" } },
      "then.target_model",
    ],
  ];
  for (const [what, body, param] of cases) {
    it(what, async () => {
      const reply = await a.create(body);
      expect(reply.status).toBe(400);
      expect(reply.json.error).toMatchObject({
        type: "invalid_request_error",
        code: "invalid_route",
        param,
      });
      expect(reply.json.error.message).toContain(param);
    });
  }

  it("malformed JSON is 400 invalid_json", async () => {
    const reply = await call(`${h.url}/v1/routes`, "POST", "{not json", bearer(KEY_A));
    expect(reply.status).toBe(400);
    expect(reply.json.error.code).toBe("invalid_json");
  });

  it("a PATCH with a typo in a field name is 400, not a silent no-op", async () => {
    const { id } = (await a.create(minimal)).json;
    const reply = await a.patch(id, { enable: false });
    expect(reply.status).toBe(400);
    expect(reply.json.error.param).toBe("enable");
  });
});

describe("changes apply to the next request", () => {
  it("a route created, disabled and deleted through the API applies at once", async () => {
    const ask = () =>
      call(`${h.url}/v1/chat/completions`, "POST", chat("gpt-a", "hi"), bearer(KEY_A));
    expect((await ask()).headers.get("x-switchyard-route")).toBeNull();
    const { id } = (await a.create({ name: "fresh", then: { target_model: "gpt-b" } })).json;
    expect((await ask()).headers.get("x-switchyard-route")).toBe("fresh");
    await a.patch(id, { enabled: false });
    expect((await ask()).headers.get("x-switchyard-route")).toBeNull();
    await a.patch(id, { enabled: true, then: { target_model: "gpt-c" } });
    expect((await ask()).headers.get("x-switchyard-model-used")).toBe("gpt-c");
    await a.remove(id);
    expect((await ask()).headers.get("x-switchyard-route")).toBeNull();
  });
});

describe("POST /v1/routes/explain", () => {
  it("names the route that would fire and why each route did or did not match; nothing dispatched", async () => {
    await a.create({
      name: "long",
      priority: 300,
      when: { input_tokens_gt: 1000 },
      then: { target_model: "gpt-c" },
    });
    await a.create({
      name: "by-model",
      when: { model_in: ["gpt-a"] },
      then: { target_model: "gpt-b" },
    });
    const reply = await call(
      `${h.url}/v1/routes/explain`,
      "POST",
      chat("gpt-a", "hello"),
      bearer(KEY_A),
    );
    expect(reply.status).toBe(200);
    expect(reply.json.decision).toMatchObject({
      outcome: "routed",
      route: "by-model",
      candidates: ["gpt-b"],
    });
    expect(reply.json.route.name).toBe("by-model");
    expect(reply.json.input_tokens).toBeGreaterThan(0);
    expect(reply.json.verdicts).toEqual([
      expect.objectContaining({
        name: "long",
        matched: false,
        failed_condition: "input_tokens_gt",
      }),
      expect.objectContaining({ name: "by-model", matched: true }),
    ]);
    expect(h.mock.count()).toBe(0);
  });

  it("reports a cost-ceiling rejection and reads Anthropic bodies with ?api=anthropic", async () => {
    await a.create({ name: "capped", then: { target_model: "pricey", max_cost_usd: 0.001 } });
    const body = {
      model: "claude-a",
      max_tokens: 1000,
      messages: [{ role: "user", content: "hi" }],
    };
    const reply = await call(
      `${h.url}/v1/routes/explain?api=anthropic`,
      "POST",
      body,
      bearer(KEY_A),
    );
    expect(reply.json.decision).toMatchObject({
      outcome: "rejected",
      status: 402,
      code: "cost_limit_exceeded",
    });
  });
});
