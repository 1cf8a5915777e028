import type { LoadedConfig } from "./config/load-config.js";
import type { Gateway } from "./gateway.js";

/** A request with a `cache_control` breakpoint on a system prompt above the demo floor (16 tokens). */
const PROMPT_CACHE_BODY = JSON.stringify({
  model: "claude-haiku-4-5",
  max_tokens: 100,
  system: [
    {
      type: "text",
      text: "You are the Switchyard demo assistant. Answer briefly and politely, in plain words. Say so when you do not know something; never invent facts.",
      cache_control: { type: "ephemeral" },
    },
  ],
  messages: [{ role: "user", content: "Hi there" }],
});

/** The start-up lines on stdout: where it listens, what it runs on, and for the demo, the key and curl lines to try. */
export function printBanner(gateway: Gateway, loaded: LoadedConfig): void {
  const { url, config, services } = gateway;
  const lines = [
    `Switchyard gateway listening on ${url}`,
    `  config: ${loaded.source}; route store: ${services.routes.kind}; prompt cache index: ${services.promptCache.kind}; models: ${config.models.size}; orgs: ${config.orgs.length}`,
  ];
  if (gateway.mock) lines.push(`  mock upstream: ${gateway.mock.url}`);
  if (services.dashboardStats)
    lines.push(`  dashboard: ${url}/dashboard (paste an API key of your org)`);
  const key = loaded.demoKey;
  if (key !== undefined) {
    const auth = `-H 'authorization: Bearer ${key}' -H 'content-type: application/json'`;
    lines.push(
      `  demo API key: ${key}`,
      "",
      "Try it:",
      `  curl -s ${url}/v1/chat/completions ${auth} -d '{"model":"gpt-4o","messages":[{"role":"user","content":"Hello!"}]}'`,
      "",
      "More:",
      `  # keyword route -> claude-sonnet-4-5 (OpenAI request translated to Anthropic)`,
      `  curl -si ${url}/v1/chat/completions ${auth} -d '{"model":"gpt-4o","messages":[{"role":"user","content":"Why does my TypeScript build fail?"}]}'`,
      `  # fallbacks: demo-flaky always fails upstream, the route falls back`,
      `  curl -si ${url}/v1/chat/completions ${auth} -d '{"model":"demo-flaky","messages":[{"role":"user","content":"hi"}]}'`,
      `  # cost ceiling: 402 before anything is dispatched`,
      `  curl -si ${url}/v1/messages ${auth} -d '{"model":"claude-opus-4-1","max_tokens":5000,"messages":[{"role":"user","content":"hi"}]}'`,
      `  # routes of the demo org`,
      `  curl -s ${url}/v1/routes -H 'authorization: Bearer ${key}'`,
      `  # prompt-cache accounting (claude-haiku-4-5 has a cache tariff): run it twice; the first reports cache_creation_input_tokens, the second cache_read_input_tokens; see x-switchyard-cost-usd`,
      `  curl -si ${url}/v1/messages ${auth} -d '${PROMPT_CACHE_BODY}'`,
      `  # response cache: temperature 0 is deterministic; run it twice: x-switchyard-cache: miss, then hit`,
      `  curl -si ${url}/v1/chat/completions ${auth} -d '{"model":"gpt-4o-mini","temperature":0,"messages":[{"role":"user","content":"Name a prime number."}]}'`,
      `  # Prometheus metrics`,
      `  curl -s ${url}/metrics`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
