import { describe, expect, it } from "vitest";
import { forcedRouteName, headerValue } from "../src/http/header-value.js";
import { KEY_A, ORG_A } from "./helpers/harness.js";
import { bearer, call, chat } from "./helpers/http.js";
import { useStoreHarness } from "./helpers/store-harness.js";

/*
 * Issue 14 (attacker pass): a route named `оpus` (Cyrillic о) or `a\nb` was
 * stored, and every request it matched became a 500 after the upstream
 * answered, since `setHeader("x-switchyard-route", name)` threw. Writes now
 * reject names a header cannot carry, and the header is percent-encoded when
 * the name is not printable ASCII, so a stored name never breaks a response.
 */

describe.each(["memory", "postgres"])("route names in headers (%s store)", (kind) => {
  const env = useStoreHarness(kind, "sy_gateway_route_names");
  const complete = (extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    call(`${env.h.url}/v1/chat/completions`, "POST", chat("gpt-a", "hi", extra), {
      ...bearer(KEY_A),
      ...headers,
    });

  it("a Cyrillic name is stored and sent percent-encoded, plain and streamed", async () => {
    const created = await env.a.create({ name: "оpus", then: { target_model: "gpt-b" } });
    expect(created.status).toBe(201);
    expect(created.json.name).toBe("оpus");
    for (const extra of [{}, { stream: true }]) {
      const reply = await complete(extra);
      expect(reply.status).toBe(200);
      expect(reply.headers.get("x-switchyard-route")).toBe(encodeURIComponent("оpus"));
      expect(decodeURIComponent(reply.headers.get("x-switchyard-route") ?? "")).toBe("оpus");
    }
  });

  it("forced routing accepts the percent-encoded name and the ASCII name as is", async () => {
    await env.a.create({ name: "路由 🚀", priority: 1, then: { target_model: "gpt-b" } });
    await env.a.create({ name: "100%25", priority: 1, then: { target_model: "gpt-c" } });
    const encoded = await complete({}, { "x-switchyard-route": encodeURIComponent("路由 🚀") });
    expect(encoded.status).toBe(200);
    expect(encoded.headers.get("x-switchyard-model-used")).toBe("gpt-b");
    // A printable-ASCII name is matched as it is, never decoded ("100%25" is not "100%").
    const literal = await complete({}, { "x-switchyard-route": "100%25" });
    expect(literal.status).toBe(200);
    expect(literal.headers.get("x-switchyard-route")).toBe("100%25");
    expect(literal.headers.get("x-switchyard-model-used")).toBe("gpt-c");
  });

  it.each([
    ["a newline", "a\nb"],
    ["NUL", "a\u0000b"],
    ["201 characters", "x".repeat(201)],
    ["a trailing space", "name "],
    ["a zero-width space", "na\u200bme"],
    ["a lone surrogate", "na\ud800me"],
  ])("POST with %s in the name is 400 with param name; nothing is created", async (_l, name) => {
    const reply = await env.a.create({ name, then: { target_model: "gpt-b" } });
    expect(reply.status).toBe(400);
    expect(reply.json.error).toMatchObject({ code: "invalid_route", param: "name" });
    expect((await env.a.list()).json.data).toEqual([]);
  });

  it("tag_equals with NUL is 400 with param when.tag_equals, on POST and PATCH", async () => {
    const bad = { name: "t", when: { tag_equals: "a\u0000b" }, then: { target_model: "gpt-b" } };
    const reply = await env.a.create(bad);
    expect(reply.status).toBe(400);
    expect(reply.json.error).toMatchObject({ code: "invalid_route", param: "when.tag_equals" });
    const created = await env.a.create({ ...bad, when: { tag_equals: "ok" } });
    const patched = await env.a.patch(created.json.id, { when: { tag_equals: "\u0000" } });
    expect(patched.status).toBe(400);
    expect(patched.json.error.param).toBe("when.tag_equals");
    expect((await env.a.get(created.json.id)).json.when.tag_equals).toBe("ok");
  });

  it("a name stored before these rules (a control character) still answers 200, encoded", async () => {
    const store = env.h.gateway.services.routes.store;
    await store.createRoute(ORG_A, {
      name: "old\nname",
      priority: 100,
      enabled: true,
      when: { model_in: [], input_tokens_lt: null, input_tokens_gt: null, tag_equals: null },
      then: { target_model: "gpt-b" },
    });
    for (const extra of [{}, { stream: true }]) {
      const reply = await complete(extra);
      expect(reply.status).toBe(200);
      expect(reply.headers.get("x-switchyard-route")).toBe("old%0Aname");
    }
  });
});

describe("headerValue / forcedRouteName", () => {
  it("keeps printable ASCII, encodes the rest, never throws", () => {
    expect(headerValue("fast lane (v2)")).toBe("fast lane (v2)");
    expect(headerValue(" edge")).toBe("%20edge");
    expect(headerValue("a\u0000b")).toBe("a%00b");
    expect(headerValue("x\ud800")).toBe("x%EF%BF%BD");
    expect(headerValue("")).toBe("");
  });

  it("decodes only when the raw value names no route and the decoded one would have been encoded", () => {
    const names = new Set(["оpus", "a%41", "a b"]);
    const engine = { findByName: (n: string) => (names.has(n) ? n : undefined) };
    expect(forcedRouteName(undefined, engine)).toBeUndefined();
    expect(forcedRouteName("%D0%BEpus", engine)).toBe("оpus");
    expect(forcedRouteName("a%41", engine)).toBe("a%41");
    expect(forcedRouteName("a%20b", engine)).toBe("a%20b");
    expect(forcedRouteName("%E0%A4%A", engine)).toBe("%E0%A4%A");
    expect(forcedRouteName("%D0%BEpus", undefined)).toBe("%D0%BEpus");
  });
});
