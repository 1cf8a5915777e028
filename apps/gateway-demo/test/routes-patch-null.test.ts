import { describe, expect, it } from "vitest";
import { KEY_A } from "./helpers/harness.js";
import { bearer, call, chat } from "./helpers/http.js";
import { useStoreHarness } from "./helpers/store-harness.js";

/*
 * Issue 14 (attacker pass): `PATCH {"when": null}` answered 200 and wiped the
 * route's conditions, so a tag route matched every request. null in a PATCH
 * is a 400 naming the field; nothing changes.
 */

describe.each(["memory", "postgres"])("PATCH with null (%s store)", (kind) => {
  const env = useStoreHarness(kind, "sy_gateway_patch_null");

  it.each(["when", "then", "name", "priority", "enabled"])(
    "%s: null is 400 with that param and the route is unchanged",
    async (key) => {
      const created = await env.a.create({
        name: "tagged",
        when: { tag_equals: "batch" },
        then: { target_model: "gpt-b" },
      });
      expect(created.status).toBe(201);
      const reply = await env.a.patch(created.json.id, { [key]: null });
      expect(reply.status).toBe(400);
      expect(reply.json.error).toMatchObject({ code: "invalid_route", param: key });
      expect(reply.json.error.message).toContain(`${key}: must not be null`);
      expect((await env.a.get(created.json.id)).json).toEqual(created.json);
      const untagged = await call(
        `${env.h.url}/v1/chat/completions`,
        "POST",
        chat("gpt-a", "hi"),
        bearer(KEY_A),
      );
      expect(untagged.status).toBe(200);
      expect(untagged.headers.get("x-switchyard-route")).toBeNull();
    },
  );

  it("when: null tells how to remove every condition; when: {} does it", async () => {
    const created = await env.a.create({
      name: "tagged",
      when: { tag_equals: "batch" },
      then: { target_model: "gpt-b" },
    });
    const reply = await env.a.patch(created.json.id, { when: null });
    expect(reply.json.error.message).toContain(
      "when: must not be null: must be an object; to remove every condition send {}",
    );
    const cleared = await env.a.patch(created.json.id, { when: {} });
    expect(cleared.status).toBe(200);
    expect(cleared.json.when.tag_equals ?? null).toBeNull();
  });
});
