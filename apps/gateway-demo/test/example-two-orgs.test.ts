/*
 * examples/two-orgs.json, the isolation example of the root README: it loads
 * with no variables set (mock upstream, keys stored hashed), and each org's
 * key sees only that org's routes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { type Gateway, startGateway } from "../src/gateway.js";
import { hashApiKey } from "../src/hashing/api-key-hash.js";
import { routesApi } from "./helpers/http.js";

const FILE = new URL("../examples/two-orgs.json", import.meta.url).pathname;
const ACME_KEY = "sy-acme-key";
const GLOBEX_KEY = "sy-globex-key";
const ENV = { SWITCHYARD_PORT: "0", SWITCHYARD_LOG_LEVEL: "silent" };

interface ListedRoute {
  id: string;
  name: string;
  priority: number;
  enabled: boolean;
}

let gateway: Gateway;
beforeAll(async () => {
  gateway = await startGateway(loadConfig(["--config", FILE], ENV).config);
});
afterAll(() => gateway?.close());

describe("examples/two-orgs.json", () => {
  it("is valid with no variables set: the mock upstream, two orgs, one hashed key each", () => {
    const { config } = loadConfig(["--config", FILE], {});
    expect(config.mockUpstream.enabled).toBe(true);
    expect(config.orgs.map((org) => org.name)).toEqual(["acme", "globex"]);
    const raw = JSON.stringify(config.orgs);
    expect(raw).not.toContain(ACME_KEY);
    expect(raw).not.toContain(GLOBEX_KEY);
    expect(raw).toContain(hashApiKey(ACME_KEY));
    expect(raw).toContain(hashApiKey(GLOBEX_KEY));
  });

  it("each key lists only its own org's routes, as a list in evaluation order", async () => {
    const acme = await routesApi(gateway.url, ACME_KEY).list();
    const globex = await routesApi(gateway.url, GLOBEX_KEY).list();
    expect(acme.status).toBe(200);
    expect(globex.status).toBe(200);
    expect(Object.keys(acme.json)).toEqual(["object", "data"]);
    expect(acme.json.object).toBe("list");
    const summary = (routes: ListedRoute[]) =>
      routes.map((r) => `${r.name} ${r.priority}${r.enabled ? "" : " disabled"}`);
    expect(summary(acme.json.data)).toEqual([
      "acme-code-to-haiku 200",
      "acme-short-to-mini 100",
      "acme-batch-paused 100 disabled",
    ]);
    expect(summary(globex.json.data)).toEqual(["globex-everything-to-haiku 100"]);
  });

  it("the other org's route ids answer 404, and the same request routes by the key's org", async () => {
    const acme = routesApi(gateway.url, ACME_KEY);
    const globex = routesApi(gateway.url, GLOBEX_KEY);
    for (const route of (await acme.list()).json.data as ListedRoute[]) {
      expect((await globex.get(route.id)).status).toBe(404);
    }
    for (const route of (await globex.list()).json.data as ListedRoute[]) {
      expect((await acme.get(route.id)).status).toBe(404);
    }
    const routed = async (key: string) => {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "Hello" }] }),
      });
      await response.arrayBuffer();
      return `${response.status} ${response.headers.get("x-switchyard-route")} -> ${response.headers.get("x-switchyard-model-used")}`;
    };
    expect(await routed(ACME_KEY)).toBe("200 acme-short-to-mini -> gpt-4o-mini");
    expect(await routed(GLOBEX_KEY)).toBe("200 globex-everything-to-haiku -> claude-haiku-4-5");
  });
});
