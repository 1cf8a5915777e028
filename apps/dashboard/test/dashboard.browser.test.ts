/*
 * The dashboard in a real browser: Debian's Chromium driven by
 * playwright-core, against the real gateway on its embedded default
 * (./real-gateway.ts), which serves the built page at /dashboard, the
 * routes API, explain and GET /v1/dashboard/stats.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { chromiumLaunchOptions, ensureChromium } from "../../../scripts/browser/chromium.mjs";
import { expectNoHorizontalOverflow } from "./horizontal-overflow.js";
import { sendWarmUpTraffic, startRealGateway, type TestServer } from "./real-gateway.js";

// The README's screenshot is rewritten only on request, so a test run leaves the tree clean.
const SCREENSHOT = fileURLToPath(
  new URL(
    process.env.SWITCHYARD_UPDATE_SCREENSHOT === "1"
      ? "../screenshot.png"
      : "../.test-results/screenshot.png",
    import.meta.url,
  ),
);
const NEW_ROUTE = "batch-to-haiku";

let server: TestServer;
let context: BrowserContext;
let page: Page;
let cleanupProfile: () => void = () => {};
const pageErrors: string[] = [];
const requestedUrls: string[] = [];

beforeAll(async () => {
  server = await startRealGateway();
  await sendWarmUpTraffic(server);
  const executablePath = await ensureChromium();
  const launch = chromiumLaunchOptions({ executablePath });
  cleanupProfile = launch.cleanup;
  context = await chromium.launchPersistentContext(launch.userDataDir, {
    ...launch.options,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
  context.setDefaultTimeout(15_000);
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (error) => pageErrors.push(error.message));
  context.on("request", (request) => requestedUrls.push(request.url()));
});

afterAll(async () => {
  await context?.close();
  cleanupProfile();
  await server?.close();
});

// The steps build on each other: after a failed one, skip the rest instead
// of letting each wait for its own timeout.
let failedStep: string | undefined;
beforeEach((ctx) => {
  if (failedStep) ctx.skip();
});
afterEach((ctx) => {
  if (ctx.task.result?.state === "fail") failedStep ??= ctx.task.name;
});

/** Sends completion requests straight to the gateway, as a client would. */
async function sendCompletion(key: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

const routeRow = (name: string) =>
  page.locator("#routes-body tr").filter({ has: page.getByText(name, { exact: true }) });

const tileNumber = async (p: Page, label: string) =>
  Number(
    (
      await p.getByRole("region", { name: label, exact: true }).locator(".tile-value").textContent()
    )?.replace(/[^\d.]/g, ""),
  );

const tileValue = (label: string) =>
  page.getByRole("region", { name: label, exact: true }).locator(".tile-value");

const PHONE_WIDTH = 390;

const routeForm = () => page.locator("#route-form");
const explainForm = () => page.locator("#explain-form");

describe("dashboard in Chromium", () => {
  it("is served at /dashboard with its assets and a strict CSP", async () => {
    const response = await page.goto(`${server.url}/dashboard?refresh=1`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-type"]).toBe("text/html; charset=utf-8");
    expect(response?.headers()["content-security-policy"]).toContain("connect-src 'self'");
    await expect.poll(() => page.title()).toBe("Switchyard dashboard");
    await page.getByLabel("API key", { exact: true }).waitFor();
    expect(await page.getByRole("heading", { name: "Connect with an API key" }).isVisible()).toBe(
      true,
    );
  });

  it("takes the API key and shows the org's routes in evaluation order, in words", async () => {
    await page.getByLabel("API key", { exact: true }).fill(server.apiKey);
    await page.getByRole("button", { name: "Connect" }).click();
    await routeRow("short-gpt-4o-to-mini").waitFor();
    expect(await routeRow("short-gpt-4o-to-mini").locator(".rule").textContent()).toBe(
      "model is gpt-4o AND fewer than 1,000 input tokens -> gpt-4o-mini",
    );
    expect(await routeRow("flaky-with-fallbacks").locator(".rule").textContent()).toBe(
      "model is demo-flaky -> demo-flaky, fallbacks gpt-4o-mini, claude-haiku-4-5",
    );
    const names = await page.locator("#routes-body .route-name strong").allTextContents();
    expect(names[0]).toBe("code-questions-to-sonnet");
    expect(await page.evaluate(() => sessionStorage.getItem("switchyard.dashboard.apiKey"))).toBe(
      server.apiKey,
    );
    await expect
      .poll(() => page.getByText("Route changes made here apply on the next request").isVisible())
      .toBe(true);
    await expect.poll(() => page.locator("#session-org").textContent()).toBe("Org demo");
  });

  it("creates a route and lists it at its place", async () => {
    await routeForm().getByLabel("Name", { exact: true }).fill(NEW_ROUTE);
    await routeForm().getByLabel("Priority", { exact: true }).fill("150");
    await routeForm().getByLabel("Models", { exact: true }).fill("gpt-4o");
    await routeForm().getByLabel("Tag equals", { exact: true }).fill("batch");
    await routeForm().getByLabel("Target model", { exact: true }).fill("claude-haiku-4-5");
    await routeForm().getByLabel("Fallbacks", { exact: true }).fill("gpt-4o-mini");
    await routeForm().getByLabel("Cost ceiling ($)", { exact: true }).fill("0.10");
    await page.getByRole("button", { name: "Create route" }).click();
    await routeRow(NEW_ROUTE).waitFor();
    expect(await routeRow(NEW_ROUTE).locator(".rule").textContent()).toBe(
      'model is gpt-4o AND tag is "batch" -> claude-haiku-4-5, fallbacks gpt-4o-mini, cost ceiling $0.10',
    );
    const names = await page.locator("#routes-body .route-name strong").allTextContents();
    expect(names.slice(0, 3)).toEqual([
      "code-questions-to-sonnet",
      NEW_ROUTE,
      "short-gpt-4o-to-mini",
    ]);
    expect(await page.locator("#route-form-status").textContent()).toContain(
      "applies on the next request",
    );
  });

  it("edits a route with PATCH", async () => {
    await page.getByRole("button", { name: `Edit ${NEW_ROUTE}` }).click();
    expect(await routeForm().getByLabel("Cost ceiling ($)", { exact: true }).inputValue()).toBe(
      "0.1",
    );
    await routeForm().getByLabel("Cost ceiling ($)", { exact: true }).fill("0.2");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect
      .poll(() => routeRow(NEW_ROUTE).locator(".rule").textContent())
      .toContain("cost ceiling $0.20");
    await page.getByRole("button", { name: "Create route" }).waitFor();
  });

  it("explains a request: the new route fires, the one above says which condition failed", async () => {
    await explainForm().getByLabel("Model", { exact: true }).fill("gpt-4o");
    await explainForm().getByLabel("Tag (x-switchyard-tag)", { exact: true }).fill("batch");
    await page.getByRole("button", { name: "Explain", exact: true }).click();
    const headline = page.locator("#explain-result .headline");
    await expect
      .poll(() => headline.textContent())
      .toBe(`Route ${NEW_ROUTE} fires: gpt-4o -> claude-haiku-4-5, then gpt-4o-mini`);
    const above = page.locator('#explain-result li[data-route="code-questions-to-sonnet"]');
    expect(await above.textContent()).toContain("first failing condition prompt_contains_any_of");
    expect(await above.textContent()).toContain("contains none of");
    expect(
      await page.locator('#explain-result li[data-route="short-gpt-4o-to-mini"]').textContent(),
    ).toContain("not reached");
  });

  it("disables the route, and explain skips it", async () => {
    await page.getByRole("switch", { name: `Route ${NEW_ROUTE} enabled` }).uncheck();
    await expect
      .poll(() => page.locator("#routes-status").textContent())
      .toBe(`${NEW_ROUTE} disabled; applies on the next request.`);
    expect(await routeRow(NEW_ROUTE).locator(".badge").textContent()).toBe("disabled");
    const listed = await fetch(`${server.url}/v1/routes`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    }).then((r) => r.json() as Promise<{ data: Array<{ name: string; enabled: boolean }> }>);
    expect(listed.data.find((r) => r.name === NEW_ROUTE)?.enabled).toBe(false);

    await page.getByRole("button", { name: "Explain", exact: true }).click();
    await expect
      .poll(() => page.locator("#explain-result .headline").textContent())
      .toBe("Route short-gpt-4o-to-mini fires: gpt-4o -> gpt-4o-mini");
    expect(
      await page.locator(`#explain-result li[data-route="${NEW_ROUTE}"]`).textContent(),
    ).toContain("skipped: disabled");
  });

  it("shows the API's validation error at the field its param names", async () => {
    await routeForm().getByLabel("Name", { exact: true }).fill("typo-target");
    await routeForm().getByLabel("Target model", { exact: true }).fill("gpt-5-turbo");
    await page.getByRole("button", { name: "Create route" }).click();
    const target = routeForm().getByLabel("Target model", { exact: true });
    await expect.poll(() => target.getAttribute("aria-invalid")).toBe("true");
    const error = page.locator("#error-then-target_model");
    expect(await error.isVisible()).toBe(true);
    expect(await error.textContent()).toContain("unknown model `gpt-5-turbo`");
    expect(await target.getAttribute("aria-describedby")).toBe("error-then-target_model");
    // Nothing else is flagged, and nothing was created.
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(1);
    expect(await routeRow("typo-target").count()).toBe(0);

    // An indexed param (then.fallbacks[0]) lands at its list field.
    await routeForm().getByLabel("Target model", { exact: true }).fill("gpt-4o-mini");
    await routeForm().getByLabel("Fallbacks", { exact: true }).fill("gpt-4o-mini");
    await page.getByRole("button", { name: "Create route" }).click();
    await expect
      .poll(() => routeForm().getByLabel("Fallbacks", { exact: true }).getAttribute("aria-invalid"))
      .toBe("true");
    expect(await page.locator("#error-then-fallbacks").textContent()).toContain(
      "repeats the target_model",
    );
    expect(await target.getAttribute("aria-invalid")).toBeNull();

    // Back to the first mistake, left on screen for the screenshot.
    await routeForm().getByLabel("Fallbacks", { exact: true }).fill("");
    await routeForm().getByLabel("Target model", { exact: true }).fill("gpt-5-turbo");
    await page.getByRole("button", { name: "Create route" }).click();
    await expect.poll(() => target.getAttribute("aria-invalid")).toBe("true");
  });

  it("shows traffic and cache numbers that move after requests", async () => {
    // Loaded (a number, not the "–" placeholder); a fresh gateway may well show 0.
    await expect.poll(() => tileValue("Requests").textContent()).toMatch(/^\d/);
    const before = {
      requests: await tileNumber(page, "Requests"),
      routed: await tileNumber(page, "Route matches"),
      fallbacks: await tileNumber(page, "Fallbacks"),
    };
    // temperature 0: deterministic, so the second identical request can be a response-cache hit.
    const hello = {
      model: "gpt-4o",
      temperature: 0,
      messages: [{ role: "user", content: "Hello" }],
    };
    await sendCompletion(server.apiKey, hello);
    await sendCompletion(server.apiKey, hello); // the same body again: a response-cache hit
    await sendCompletion(server.apiKey, {
      model: "demo-flaky",
      messages: [{ role: "user", content: "Hi" }],
    });
    // The panel refreshes by itself (every second with ?refresh=1).
    await expect
      .poll(() => tileNumber(page, "Requests"), { timeout: 15_000 })
      .toBe(before.requests + 3);
    expect(await tileNumber(page, "Route matches")).toBe(before.routed + 3);
    expect(await tileNumber(page, "Fallbacks")).toBe(before.fallbacks + 1);
    expect(await tileValue("Response-cache hit ratio").textContent()).toMatch(/^\d+(\.\d)?%$/);
    expect(await tileValue("Money saved").textContent()).toMatch(/^-?\$\d/);
    expect(await page.locator("#chart svg rect.bar").count()).toBeGreaterThan(0);
    expect(await page.locator("#chart svg").getAttribute("aria-label")).toMatch(
      /^Requests per 10 seconds/,
    );
    expect(
      await page.locator("#route-traffic-body tr", { hasText: "short-gpt-4o-to-mini" }).count(),
    ).toBe(1);
  });

  it("saves a screenshot of the whole page", async () => {
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: SCREENSHOT, fullPage: true, animations: "disabled" });
  });

  it("another org's key sees none of the first org's routes or numbers", async () => {
    const other = await context.newPage();
    try {
      await other.goto(`${server.url}/dashboard/`);
      await other.getByLabel("API key", { exact: true }).fill(server.otherOrgKey);
      await other.getByRole("button", { name: "Connect" }).click();
      await expect
        .poll(() => other.locator("#routes-status").textContent())
        .toContain("No routes yet");
      await expect.poll(() => other.locator("#session-org").textContent()).toBe("Org other-org");
      expect(await tileNumber(other, "Requests")).toBe(0);
      expect(await other.locator("#routes-body tr").count()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("fits a 390 px wide phone screen: no horizontal overflow, every control inside", async () => {
    // A long unbroken route name with traffic: it must wrap in the routes and traffic tables.
    const longName = `long-${"x".repeat(145)}`;
    const created = await fetch(`${server.url}/v1/routes`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: longName, priority: 0, then: { target_model: "gpt-4o-mini" } }),
    });
    expect(created.status).toBe(201);
    const longId = ((await created.json()) as { id: string }).id;
    await sendCompletion(
      server.apiKey,
      { model: "gpt-4o", messages: [{ role: "user", content: "Long name" }] },
      { "x-switchyard-route": longName },
    );
    const phone = await context.newPage();
    try {
      await phone.setViewportSize({ width: PHONE_WIDTH, height: 844 });
      await phone.goto(`${server.url}/dashboard/`);
      await phone.getByLabel("API key", { exact: true }).waitFor();
      await expectNoHorizontalOverflow(phone, PHONE_WIDTH);

      await phone.getByLabel("API key", { exact: true }).fill(server.apiKey);
      await phone.getByRole("button", { name: "Connect" }).click();
      await phone.getByRole("button", { name: `Delete ${NEW_ROUTE}` }).waitFor();
      await expect.poll(() => phone.locator("#stat-requests").textContent()).toMatch(/^\d/);
      await phone.locator("#more-conditions summary").click();
      await phone.getByRole("button", { name: "Explain", exact: true }).click();
      await phone.locator("#explain-result .headline").waitFor();
      await phone.locator("#route-traffic-body td", { hasText: longName }).waitFor();
      await expectNoHorizontalOverflow(phone, PHONE_WIDTH);
      await phone.screenshot({
        path: fileURLToPath(new URL("../.test-results/screenshot-390px.png", import.meta.url)),
        fullPage: true,
        animations: "disabled",
      });
    } finally {
      await phone.close();
      await fetch(`${server.url}/v1/routes/${longId}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${server.apiKey}` },
      });
    }
  });

  it("deletes the route after a confirmation click", async () => {
    await page.getByRole("button", { name: `Delete ${NEW_ROUTE}` }).click();
    await page.getByRole("button", { name: `Confirm delete ${NEW_ROUTE}` }).click();
    await expect.poll(() => routeRow(NEW_ROUTE).count()).toBe(0);
    expect(await page.locator("#routes-status").textContent()).toBe(
      `Deleted ${NEW_ROUTE}; applies on the next request.`,
    );
  });

  it("a wrong key is refused, and nothing left the page's origin", async () => {
    await page.getByRole("button", { name: "Forget key" }).click();
    expect(await page.evaluate(() => sessionStorage.getItem("switchyard.dashboard.apiKey"))).toBe(
      null,
    );
    await page.getByLabel("API key", { exact: true }).fill("not-a-key");
    await page.getByRole("button", { name: "Connect" }).click();
    await expect
      .poll(() => page.getByRole("alert").filter({ hasText: "rejected this API key" }).count())
      .toBe(1);
    expect(await page.locator("#app").isHidden()).toBe(true);
    expect(requestedUrls.length).toBeGreaterThan(0);
    expect(requestedUrls.filter((url) => !url.startsWith(`${server.url}/`))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
