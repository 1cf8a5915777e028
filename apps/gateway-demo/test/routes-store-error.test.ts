import { RoutingStoreError } from "@switchyard/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { bearer, call, chat, routesApi } from "./helpers/http.js";
import { captureLogger } from "./helpers/log-capture.js";

/*
 * Issue 14 (attacker pass): the routes API passed a store error's message to
 * the client (`route_store_unavailable` with SQL and driver text). The answer
 * is a generic 503; the detail goes to the log with the request id.
 */

const SQL =
  'select "id" from "routes" where "org_id" = $1: invalid byte sequence for encoding "UTF8"';
const { logger, lines } = captureLogger();
let h: Harness;

beforeAll(async () => {
  h = await startHarness({}, { logger });
  // The real memory store, with every read and write failing as a broken backend would.
  const store = h.gateway.services.routes.store as unknown as Record<string, unknown>;
  for (const method of [
    "listAllForOrg",
    "createRoute",
    "getRoute",
    "updateRoute",
    "deleteRoute",
    "engineFor",
  ]) {
    store[method] = async () => {
      throw new RoutingStoreError(SQL, { cause: new Error("driver: 22021") });
    };
  }
});
afterAll(() => h?.close());

describe("a failing route store", () => {
  const id = "01900000-0000-7000-8000-0000000000aa";
  it.each([
    ["GET /v1/routes", (a: ReturnType<typeof routesApi>) => a.list()],
    [
      "POST /v1/routes",
      (a: ReturnType<typeof routesApi>) => a.create({ name: "n", then: { target_model: "gpt-b" } }),
    ],
    ["GET /v1/routes/:id", (a: ReturnType<typeof routesApi>) => a.get(id)],
    ["PATCH /v1/routes/:id", (a: ReturnType<typeof routesApi>) => a.patch(id, { enabled: false })],
    ["DELETE /v1/routes/:id", (a: ReturnType<typeof routesApi>) => a.remove(id)],
    [
      "POST /v1/routes/explain",
      () => call(`${h.url}/v1/routes/explain`, "POST", chat("gpt-a", "hi"), bearer(KEY_A)),
    ],
  ])("%s is a generic 503; the detail is logged with the request id", async (_l, send) => {
    const reply = await send(routesApi(h.url, KEY_A));
    expect(reply.status).toBe(503);
    expect(reply.json.error).toMatchObject({
      code: "route_store_unavailable",
      message: "The route store is unavailable; try again.",
    });
    expect(reply.text).not.toContain("select");
    const reqId = reply.headers.get("x-request-id");
    const logged = lines.find((l) => l.req_id === reqId && l.msg === "route store failed");
    expect(JSON.stringify(logged)).toContain("invalid byte sequence");
  });
});
