import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { routesApi } from "./helpers/http.js";
import { type Json, seededRandom } from "./helpers/random.js";

/**
 * A few thousand random and mutated bodies against both completion
 * endpoints: valid JSON of the wrong types, deep nesting, huge strings,
 * lone surrogates, bad and good cache markers, random top-level values and
 * broken JSON. Every answer must be a 2xx or a 4xx: never a 5xx, never a
 * crash (the gateway still answers /healthz at the end). Seeded, so a
 * failure replays; bounded in time (about 3,000 requests, 16 at a time).
 */

/** `SWITCHYARD_FUZZ_SEED=<n>` runs another sequence. */
const SEED = Number(process.env.SWITCHYARD_FUZZ_SEED ?? 0x5eed_2024);
const REQUESTS = 3_000;
const CONCURRENCY = 16;

const { rand, int, pick, chance } = seededRandom(SEED);

const MODELS = [
  "gpt-a",
  "claude-a",
  "cached-claude",
  "cached-gpt",
  "deterministic",
  "with-tool",
  "claude-with-tool",
  "fail-400",
  "no-such-model",
];
const STRINGS = [
  "",
  "hello",
  "typescript stack trace",
  "\ud800 lone surrogate",
  "emoji 🚲🚲",
  'quote " and \\ backslash',
  "<|endoftext|>",
  "\u0000 nul",
  "a".repeat(2_000),
];

function randomMarker(): Json {
  return pick<Json>([
    { type: "ephemeral" },
    { type: "ephemeral", ttl: "1h" },
    { type: "ephemeral", ttl: "5m" },
    { type: "ephemeral", ttl: "24h" },
    { type: "ephemeral", ttl: 5 },
    { type: "persistent" },
    { type: "ephemeral", extra: true },
    {},
    null,
    "ephemeral",
    7,
    [],
  ]);
}

function randomValue(depth = 0): Json {
  switch (int(depth > 3 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return chance(0.5);
    case 2:
      return pick([0, -1, 1, 1.5, 1e308, -1e308, 2 ** 53, 4096, 0.7]);
    case 3:
    case 4:
      return pick(STRINGS);
    case 5:
      return Array.from({ length: int(4) }, () => randomValue(depth + 1));
    default: {
      const out: { [key: string]: Json } = {};
      for (let i = int(4); i > 0; i--) {
        out[pick(["type", "text", "content", "role", "cache_control", "x", "image_url", "input"])] =
          randomValue(depth + 1);
      }
      return out;
    }
  }
}

function nest(value: Json, levels: number): Json {
  let out = value;
  for (let i = 0; i < levels; i++) out = chance(0.5) ? [out] : { a: out };
  return out;
}

function part(): Json {
  return pick<Json[]>([
    [{ type: "text", text: pick(STRINGS) }],
    [{ type: "text", text: pick(STRINGS), cache_control: randomMarker() }],
    [{ type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } }],
    [{ type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } }],
    [{ type: "tool_result", tool_use_id: "t1", content: pick(STRINGS) }],
    [randomValue()],
  ])[0] as Json;
}

function baseBody(api: "openai" | "anthropic"): { [key: string]: Json } {
  const turns = 1 + int(4);
  const messages: Json[] = [];
  for (let i = 0; i < turns; i++) {
    const role = i % 2 === 0 ? "user" : "assistant";
    messages.push({
      role,
      content: chance(0.5) ? pick(STRINGS) : Array.from({ length: 1 + int(3) }, part),
    });
  }
  const body: { [key: string]: Json } = { model: pick(MODELS), messages };
  if (api === "anthropic") {
    body.max_tokens = pick([1, 100, 4096]);
    if (chance(0.5)) {
      body.system = chance(0.5)
        ? pick(STRINGS)
        : [{ type: "text", text: pick(STRINGS), cache_control: randomMarker() }];
    }
  } else if (chance(0.3)) {
    messages.unshift({ role: pick(["system", "developer"]), content: pick(STRINGS) });
  }
  if (chance(0.3)) body.stream = true;
  if (chance(0.3)) body.temperature = 0;
  if (chance(0.2)) body.cache_control = randomMarker();
  if (chance(0.2)) {
    body.tools =
      api === "openai"
        ? [
            {
              type: "function",
              function: { name: "f", parameters: { type: "object" } },
              cache_control: randomMarker(),
            },
          ]
        : [{ name: "f", input_schema: { type: "object" }, cache_control: randomMarker() }];
  }
  return body;
}

/** A random place in the tree: its parent and key. */
function randomSlot(
  root: Json,
): { parent: Json[] | { [key: string]: Json }; key: string | number } | undefined {
  let node: Json = root;
  let slot: { parent: Json[] | { [key: string]: Json }; key: string | number } | undefined;
  for (let depth = 0; depth < 6; depth++) {
    if (node === null || typeof node !== "object") break;
    const keys: Array<string | number> = Array.isArray(node)
      ? node.map((_, i) => i)
      : Object.keys(node);
    if (keys.length === 0) break;
    const key = pick(keys);
    slot = { parent: node, key };
    node = (node as Record<string | number, Json>)[key] as Json;
    if (chance(0.35)) break;
  }
  return slot;
}

function mutate(body: { [key: string]: Json }): void {
  for (let n = 1 + int(3); n > 0; n--) {
    const slot = randomSlot(body);
    if (!slot) return;
    const target = slot.parent as Record<string | number, Json>;
    switch (int(6)) {
      case 0:
        if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else delete target[slot.key];
        break;
      case 1:
        target[slot.key] = randomValue();
        break;
      case 2:
        target[slot.key] = nest(randomValue(), pick([5, 50, 99, 101, 300, 3_000]));
        break;
      case 3:
        target[slot.key] = "x".repeat(pick([10_000, 40_000, 70_000]));
        break;
      case 4:
        target.cache_control = randomMarker();
        break;
      default:
        target[slot.key] = pick<Json>([[], {}, "", 0, true, null]);
    }
  }
}

function randomRequest(): { path: string; body: string } {
  const api = chance(0.5) ? "openai" : "anthropic";
  const path = api === "openai" ? "/v1/chat/completions" : "/v1/messages";
  const roll = rand();
  if (roll < 0.05) {
    return { path, body: pick(["", "null", "[]", "42", '"text"', "{", '{"model":', "{}", "tru"]) };
  }
  const body = baseBody(api);
  if (roll < 0.6) mutate(body);
  let text = JSON.stringify(body);
  if (chance(0.02)) text = text.slice(0, int(text.length)); // broken JSON
  return { path, body: text };
}

let h: Harness;
let pool: Pool;
beforeAll(async () => {
  h = await startHarness();
  pool = new Pool(h.url, { connections: CONCURRENCY });
  const api = routesApi(h.url, KEY_A);
  // Routes that make the gateway tokenize and scan the prompt of every request.
  await api.create({
    name: "long",
    when: { input_tokens_gt: 500 },
    then: { target_model: "gpt-b" },
  });
  await api.create({
    name: "keyword",
    when: { prompt_contains_any_of: ["typescript"] },
    then: { target_model: "claude-a", fallbacks: ["gpt-a"] },
  });
});
afterAll(async () => {
  await pool?.close();
  await h?.close();
});

describe("fuzzing the completion endpoints", () => {
  it(`${REQUESTS} random and mutated bodies: only 2xx and 4xx, never a 5xx or a crash`, {
    timeout: 60_000,
  }, async () => {
    const requests = Array.from({ length: REQUESTS }, randomRequest);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const started = Date.now();
    async function worker(): Promise<void> {
      while (next < requests.length) {
        const request = requests[next++] as { path: string; body: string };
        const res = await pool.request({
          method: "POST",
          path: request.path,
          headers: { authorization: `Bearer ${KEY_A}`, "content-type": "application/json" },
          body: request.body,
        });
        const text = await res.body.text();
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500 || res.statusCode < 200) {
          failures.push(
            `${res.statusCode} ${request.path} ${request.body.slice(0, 300)} -> ${text.slice(0, 300)}`,
          );
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (process.env.SWITCHYARD_FUZZ_SEED) console.log(SEED, Object.fromEntries(statuses));
    expect(failures, failures.slice(0, 5).join("\n")).toEqual([]);
    // A real mix: successes, client errors, and the 413 of huge bodies.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(REQUESTS / 10);
    expect(statuses.get(413) ?? 0).toBeGreaterThan(0);
    const health = await pool.request({ method: "GET", path: "/healthz" });
    await health.body.text();
    expect(health.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(45_000);
  });
});
