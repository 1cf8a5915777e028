import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/config-error.js";
import { validateConfig } from "../src/config/validate-config.js";
import { hashApiKey } from "../src/hashing/api-key-hash.js";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call, chat, routesApi } from "./helpers/http.js";

/*
 * Issue 14.3: a typo in a route (`when.modle_in`) was dropped on write, so the
 * route matched every request. Writes through the API and config seeding are
 * strict: 400 (or a config error) naming the field, and nothing changes.
 */

describe.each(["memory", "postgres"])(
  "routes API writes reject unknown fields (%s store)",
  (kind) => {
    let h: Harness;
    let db: TestDatabase | undefined;
    let a: ReturnType<typeof routesApi>;
    beforeAll(async () => {
      if (kind === "postgres")
        db = await createTestDatabase({ prefix: "sy_gateway_unknown_fields" });
      h = await startHarness(db ? { route_store: { database_url: db.url } } : {});
      a = routesApi(h.url, KEY_A);
    }, 60_000);
    afterAll(async () => {
      await h?.close();
      await db?.drop();
    });
    beforeEach(() => a.clear());

    const routedBy = async () => {
      const reply = await call(
        `${h.url}/v1/chat/completions`,
        "POST",
        chat("gpt-a", "hi"),
        bearer(KEY_A),
      );
      expect(reply.status).toBe(200);
      return reply.headers.get("x-switchyard-route");
    };

    it("POST with when.modle_in is 400 with param when.modle_in; nothing is created, traffic is not rerouted", async () => {
      const reply = await a.create({
        name: "typo",
        when: { modle_in: ["gpt-c"] },
        then: { target_model: "gpt-b" },
      });
      expect(reply.status).toBe(400);
      expect(reply.json.error).toMatchObject({
        type: "invalid_request_error",
        code: "invalid_route",
        param: "when.modle_in",
      });
      expect(reply.json.error.message).toContain(
        "when.modle_in: is not a known condition (did you mean model_in?)",
      );
      expect((await a.list()).json.data).toEqual([]);
      expect(await routedBy()).toBeNull();
    });

    it("POST with an unknown key in then or at the top, or an id, is 400 naming it", async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: "x", then: { target_model: "gpt-b", fallback: ["gpt-c"] } }, "then.fallback"],
        [{ name: "x", priorty: 5, then: { target_model: "gpt-b" } }, "priorty"],
        [
          {
            name: "x",
            org_id: "01900000-0000-7000-8000-00000000000b",
            then: { target_model: "gpt-b" },
          },
          "org_id",
        ],
        [
          {
            id: "01900000-0000-7000-8000-0000000000aa",
            name: "x",
            then: { target_model: "gpt-b" },
          },
          "id",
        ],
      ];
      for (const [body, param] of cases) {
        const reply = await a.create(body);
        expect(reply.status, param).toBe(400);
        expect(reply.json.error.param).toBe(param);
      }
      expect((await a.list()).json.data).toEqual([]);
    });

    it("PATCH with when.modle_in or then.fallback is 400 with that param; the route is unchanged", async () => {
      const created = (
        await a.create({
          name: "r",
          when: { model_in: ["gpt-c"] },
          then: { target_model: "gpt-b" },
        })
      ).json;
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ when: { modle_in: ["gpt-a"] } }, "when.modle_in"],
        [{ enabled: false, then: { target_model: "gpt-c", fallback: ["gpt-a"] } }, "then.fallback"],
        [{ enable: false }, "enable"],
      ];
      for (const [patch, param] of cases) {
        const reply = await a.patch(created.id, patch);
        expect(reply.status, param).toBe(400);
        expect(reply.json.error).toMatchObject({ code: "invalid_route", param });
      }
      expect((await a.list()).json.data).toEqual([created]);
      expect(await routedBy()).toBeNull();
    });

    it("the legacy then.force_cache_layer is accepted and dropped; an id in a PATCH is ignored", async () => {
      const reply = await a.create({
        name: "legacy",
        then: { target_model: "gpt-b", force_cache_layer: "l2" },
      });
      expect(reply.status).toBe(201);
      expect(reply.json.then).toEqual({ target_model: "gpt-b" });
      const patched = await a.patch(reply.json.id, { ...reply.json, enabled: false });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ id: reply.json.id, enabled: false });
    });
  },
);

describe("config seeding rejects unknown fields in orgs[].routes", () => {
  const raw = (route: unknown) => ({
    providers: { oa: { kind: "openai", base_url: "https://api.example.com/v1" } },
    models: { m: { provider: "oa" } },
    orgs: [
      {
        id: "01900000-0000-7000-8000-000000000001",
        api_keys: [{ sha256: hashApiKey("k") }],
        routes: [{ name: "ok", then: { target_model: "m" } }, route],
      },
    ],
  });
  const issuesOf = (route: unknown): string[] => {
    try {
      validateConfig(raw(route), { source: "test", env: {} });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
    }
    return [];
  };

  it("a misspelled key in when, in then or at the top names its full path", () => {
    const cases: Array<[unknown, string]> = [
      [
        { name: "x", when: { modle_in: ["m"] }, then: { target_model: "m" } },
        "orgs[0].routes[1].when.modle_in: is not a known condition (did you mean model_in?)",
      ],
      [
        { name: "x", then: { target_model: "m", max_cost: 1 } },
        "orgs[0].routes[1].then.max_cost: is not a known action field (did you mean max_cost_usd?)",
      ],
      [
        { name: "x", enable: false, then: { target_model: "m" } },
        "orgs[0].routes[1].enable: is not a known route field (did you mean enabled?)",
      ],
    ];
    for (const [route, expected] of cases) {
      const issues = issuesOf(route);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toContain(expected);
    }
  });

  it("a route without unknown keys still loads", () => {
    expect(issuesOf({ name: "x", when: { model_in: ["m"] }, then: { target_model: "m" } })).toEqual(
      [],
    );
  });
});
