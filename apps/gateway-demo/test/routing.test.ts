import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call, chat, routesApi } from "./helpers/http.js";

let h: Harness;
let routes: ReturnType<typeof routesApi>;
beforeAll(async () => {
  h = await startHarness();
  routes = routesApi(h.url, KEY_A);
});
afterAll(() => h?.close());
beforeEach(async () => {
  await routes.clear();
  h.mock.reset();
});

const complete = (body: unknown, headers: Record<string, string> = {}) =>
  call(`${h.url}/v1/chat/completions`, "POST", body, { ...bearer(KEY_A), ...headers });
const messages = (body: unknown, headers: Record<string, string> = {}) =>
  call(`${h.url}/v1/messages`, "POST", body, { ...bearer(KEY_A), ...headers });
const route = async (body: Record<string, unknown>) => {
  const created = await routes.create(body);
  expect(created.status).toBe(201);
  return created.json as { id: string; name: string };
};

describe("model rewrite", () => {
  it("a matching route rewrites the model and names itself in x-switchyard-route", async () => {
    await route({ name: "a-to-b", when: { model_in: ["gpt-a"] }, then: { target_model: "gpt-b" } });
    const reply = await complete(chat("gpt-a", "hi"));
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-switchyard-route")).toBe("a-to-b");
    expect(reply.headers.get("x-switchyard-model-used")).toBe("gpt-b");
    expect(h.mock.count("gpt-b")).toBe(1);
    expect(h.mock.count("gpt-a")).toBe(0);
  });

  it("an unmatched request is dispatched unchanged, without x-switchyard-route", async () => {
    await route({ name: "a-to-b", when: { model_in: ["gpt-a"] }, then: { target_model: "gpt-b" } });
    const reply = await complete(chat("gpt-c", "hi"));
    expect(reply.headers.get("x-switchyard-route")).toBeNull();
    expect(reply.headers.get("x-switchyard-model-used")).toBe("gpt-c");
    expect(h.mock.count("gpt-c")).toBe(1);
  });

  it("the original bytes are forwarded when the model is unchanged, re-serialized when rewritten", async () => {
    await route({ name: "a-to-b", when: { model_in: ["gpt-a"] }, then: { target_model: "gpt-b" } });
    await complete(chat("gpt-c", "hi", { temperature: 0.5 }));
    await complete(chat("gpt-a", "hi", { temperature: 0.5 }));
    const [unchanged, rewritten] = h.mock.recent;
    expect(unchanged?.body).toEqual(chat("gpt-c", "hi", { temperature: 0.5 }));
    expect(rewritten?.body).toEqual(chat("gpt-b", "hi", { temperature: 0.5 }));
  });
});

describe("evaluation order", () => {
  it("higher priority wins whatever the creation order", async () => {
    await route({ name: "low", priority: 10, then: { target_model: "gpt-b" } });
    await route({ name: "high", priority: 500, then: { target_model: "gpt-c" } });
    const reply = await complete(chat("gpt-a", "hi"));
    expect(reply.headers.get("x-switchyard-route")).toBe("high");
  });

  it("equal priorities are tie-broken by creation order: the first created wins", async () => {
    await route({ name: "first", priority: 100, then: { target_model: "gpt-b" } });
    await route({ name: "second", priority: 100, then: { target_model: "gpt-c" } });
    const reply = await complete(chat("gpt-a", "hi"));
    expect(reply.headers.get("x-switchyard-route")).toBe("first");
    expect(h.mock.count("gpt-b")).toBe(1);
  });

  it("a disabled route is skipped and the next one matches", async () => {
    const first = await route({
      name: "disabled-one",
      priority: 900,
      then: { target_model: "gpt-b" },
    });
    await route({ name: "enabled-one", priority: 100, then: { target_model: "gpt-c" } });
    expect((await routes.patch(first.id, { enabled: false })).status).toBe(200);
    const reply = await complete(chat("gpt-a", "hi"));
    expect(reply.headers.get("x-switchyard-route")).toBe("enabled-one");
    expect(h.mock.count("gpt-b")).toBe(0);
  });
});

describe("keyword route", () => {
  beforeEach(async () => {
    await route({
      name: "refunds",
      when: { prompt_contains_any_of: ["Refund"] },
      then: { target_model: "gpt-b" },
    });
  });

  it("fires on user text, case-insensitively", async () => {
    const reply = await complete(chat("gpt-a", "I want a REFUND please"));
    expect(reply.headers.get("x-switchyard-route")).toBe("refunds");
  });

  it("fires on system text", async () => {
    const body = {
      model: "gpt-a",
      messages: [
        { role: "system", content: "Handle refund requests" },
        { role: "user", content: "hello" },
      ],
    };
    expect((await complete(body)).headers.get("x-switchyard-route")).toBe("refunds");
  });

  it("fires on the Anthropic top-level system field", async () => {
    const body = {
      model: "claude-a",
      max_tokens: 50,
      system: "refund desk",
      messages: [{ role: "user", content: "hello" }],
    };
    expect((await messages(body)).headers.get("x-switchyard-route")).toBe("refunds");
  });

  it("does not fire on assistant text (a model's own output never triggers a topic route)", async () => {
    const body = {
      model: "gpt-a",
      messages: [
        { role: "user", content: "hello" },
        { role: "assistant", content: "Do you want a refund?" },
        { role: "user", content: "no thanks" },
      ],
    };
    const reply = await complete(body);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-switchyard-route")).toBeNull();
    expect(h.mock.count("gpt-a")).toBe(1);
  });
});

describe("tag and forced routing", () => {
  it("tag_equals matches the raw x-switchyard-tag header", async () => {
    await route({ name: "batch", when: { tag_equals: "batch" }, then: { target_model: "gpt-b" } });
    expect(
      (await complete(chat("gpt-a", "hi"), { "x-switchyard-tag": "batch" })).headers.get(
        "x-switchyard-route",
      ),
    ).toBe("batch");
    expect(
      (await complete(chat("gpt-a", "hi"), { "x-switchyard-tag": "Batch" })).headers.get(
        "x-switchyard-route",
      ),
    ).toBeNull();
  });

  it("x-switchyard-route forces a route by name, ignoring its conditions", async () => {
    await route({
      name: "never",
      when: { model_in: ["nothing-sends-this"] },
      then: { target_model: "gpt-c" },
    });
    const reply = await complete(chat("gpt-a", "hi"), { "x-switchyard-route": "never" });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-switchyard-route")).toBe("never");
    expect(reply.headers.get("x-switchyard-model-used")).toBe("gpt-c");
  });

  it("an unknown or disabled forced route is 400 `unknown route: NAME`, nothing dispatched", async () => {
    const off = await route({ name: "off", enabled: false, then: { target_model: "gpt-c" } });
    expect(off.name).toBe("off");
    for (const name of ["nope", "off"]) {
      const reply = await complete(chat("gpt-a", "hi"), { "x-switchyard-route": name });
      expect(reply.status).toBe(400);
      expect(reply.json.error.message).toBe(`unknown route: ${name}`);
    }
    expect(h.mock.count()).toBe(0);
  });
});

describe("capability guard", () => {
  it("an image request whose route target lacks vision passes through unrouted", async () => {
    await route({ name: "to-blind", then: { target_model: "no-vision" } });
    const body = {
      model: "gpt-a",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "what is this" },
            { type: "image_url", image_url: { url: "https://example.com/a.png" } },
          ],
        },
      ],
    };
    const reply = await complete(body);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-switchyard-route")).toBeNull();
    expect(reply.headers.get("x-switchyard-model-used")).toBe("gpt-a");
    expect((await complete(chat("gpt-a", "text only"))).headers.get("x-switchyard-route")).toBe(
      "to-blind",
    );
  });

  it("a prompt larger than the target's context window is a 400, never a bypass", async () => {
    await route({ name: "to-tiny", then: { target_model: "tiny-context" } });
    const long = await complete(chat("gpt-a", "word ".repeat(200)));
    expect(long.status).toBe(400);
    expect(long.json.error).toMatchObject({ code: "context_length_exceeded", param: "messages" });
    expect(h.mock.count()).toBe(0);
    expect((await complete(chat("gpt-a", "short"))).headers.get("x-switchyard-route")).toBe(
      "to-tiny",
    );
  });
});

describe("cost ceiling", () => {
  it("over max_cost_usd on the routed model: 402 billing_error, nothing dispatched", async () => {
    await route({
      name: "capped",
      when: { model_in: ["gpt-a"] },
      then: { target_model: "pricey", max_cost_usd: 0.01 },
    });
    const reply = await complete(chat("gpt-a", "hi", { max_tokens: 500 }));
    expect(reply.status).toBe(402);
    expect(reply.json.error).toMatchObject({ type: "billing_error", code: "cost_limit_exceeded" });
    const anthropic = await messages({
      model: "gpt-a",
      max_tokens: 500,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(anthropic.status).toBe(402);
    expect(anthropic.json).toMatchObject({ type: "error", error: { type: "billing_error" } });
    expect(h.mock.count()).toBe(0);
  });

  it("under the ceiling the routed request is dispatched", async () => {
    await route({
      name: "capped",
      when: { model_in: ["gpt-a"] },
      then: { target_model: "pricey", max_cost_usd: 0.01 },
    });
    const reply = await complete(chat("gpt-a", "hi", { max_tokens: 5 }));
    expect(reply.status).toBe(200);
    expect(h.mock.count("pricey")).toBe(1);
  });

  it("cost conditions are estimated on the requested model with 1000 output tokens by default", async () => {
    // pricey: 1000 output tokens * $1000/M = $1 > 0.5; gpt-a: about $0.002
    await route({
      name: "expensive",
      when: { estimated_cost_gt: 0.5 },
      then: { target_model: "gpt-b" },
    });
    expect((await complete(chat("pricey", "hi"))).headers.get("x-switchyard-route")).toBe(
      "expensive",
    );
    expect((await complete(chat("gpt-a", "hi"))).headers.get("x-switchyard-route")).toBeNull();
  });

  it("token bounds use the real tokenizer's estimate", async () => {
    await route({ name: "long", when: { input_tokens_gt: 100 }, then: { target_model: "gpt-b" } });
    expect(
      (await complete(chat("gpt-a", "hello world"))).headers.get("x-switchyard-route"),
    ).toBeNull();
    expect(
      (await complete(chat("gpt-a", "hello world ".repeat(60)))).headers.get("x-switchyard-route"),
    ).toBe("long");
  });
});
