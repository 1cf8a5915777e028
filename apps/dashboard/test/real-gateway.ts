/*
 * The browser test's server: the real gateway (apps/gateway-demo) on its
 * embedded default (memory stores, the built-in mock upstream, the demo org
 * with its four routes), plus a second org for the isolation check.
 */

import { demoConfig } from "../../gateway-demo/src/config/demo-config.js";
import { validateConfig } from "../../gateway-demo/src/config/validate-config.js";
import { startGateway } from "../../gateway-demo/src/gateway.js";
import { hashApiKey } from "../../gateway-demo/src/hashing/api-key-hash.js";

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** A key of the org whose routes the test changes. */
  readonly apiKey: string;
  /** A key of another org (must never see the first org's routes or numbers). */
  readonly otherOrgKey: string;
  close(): Promise<void>;
}

const OTHER_ORG_KEY = "sy-other-key";

export async function startRealGateway(): Promise<TestServer> {
  const { raw, apiKey } = demoConfig({});
  const other = {
    id: "0190a8b2-0000-7e4f-8a1b-000000000002",
    name: "other-org",
    api_keys: [{ name: "other", sha256: hashApiKey(OTHER_ORG_KEY) }],
    routes: [],
  };
  const orgs = (raw.orgs as unknown[]).concat(other);
  const config = validateConfig(
    { ...raw, orgs, server: { host: "127.0.0.1", port: 0 }, log: { level: "silent" } },
    { source: "dashboard browser test", env: {} },
  );
  const gateway = await startGateway(config);
  return { url: gateway.url, apiKey, otherOrgKey: OTHER_ORG_KEY, close: () => gateway.close() };
}

/** A system prompt above the demo's 16-token prompt-cache floor, with a breakpoint. */
const cachedSystem = [
  {
    type: "text",
    text: "You are the Switchyard demo assistant. Answer briefly and politely, in plain words. Say so when you do not know something; never invent facts.",
    cache_control: { type: "ephemeral" },
  },
];

/**
 * Some history before the page opens, so every tile and the chart show real
 * numbers: routed and unrouted requests, a response-cache hit, a fallback,
 * and prompt-cache writes then reads (Anthropic Messages on claude-haiku-4-5).
 */
export async function sendWarmUpTraffic(server: TestServer): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${server.apiKey}`,
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`warm-up ${path}: HTTP ${response.status}`);
  };
  const question = (content: string) => ({
    model: "gpt-4o",
    temperature: 0,
    messages: [{ role: "user", content }],
  });
  for (const content of ["What is a gateway?", "What is a gateway?", "Explain routing."]) {
    await post("/v1/chat/completions", question(content));
  }
  await post("/v1/chat/completions", question("Why does my python script print a stack trace?"));
  await post("/v1/chat/completions", {
    model: "demo-flaky",
    messages: [{ role: "user", content: "Hi" }],
  });
  for (const content of ["Hi there", "And again", "One more"]) {
    await post("/v1/messages", {
      model: "claude-haiku-4-5",
      max_tokens: 100,
      system: cachedSystem,
      messages: [{ role: "user", content }],
    });
  }
  await post("/v1/chat/completions", {
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Unrouted" }],
  });
}
