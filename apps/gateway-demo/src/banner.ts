import type { LoadedConfig } from "./config/load-config.js";
import type { Gateway } from "./gateway.js";

/** The start-up lines on stdout: where it listens, what it runs on, and for the demo, the key and curl lines to try. */
export function printBanner(gateway: Gateway, loaded: LoadedConfig): void {
  const { url, config, services } = gateway;
  const lines = [
    `Switchyard gateway listening on ${url}`,
    `  config: ${loaded.source}; route store: ${services.routes.kind}; models: ${config.models.size}; orgs: ${config.orgs.length}`,
  ];
  if (gateway.mock) lines.push(`  mock upstream: ${gateway.mock.url}`);
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
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
