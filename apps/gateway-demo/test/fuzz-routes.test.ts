import { CONDITION_ORDER } from "@switchyard/core";
import { createTestDatabase, type TestDatabase } from "@switchyard/test-utils";
import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, KEY_A, startHarness } from "./helpers/harness.js";
import { routesApi } from "./helpers/http.js";
import { type Json, seededRandom } from "./helpers/random.js";

/**
 * Route bodies with unknown and misspelled keys (issue 14.3) against POST and
 * PATCH /v1/routes: sound random routes, then at every level (the route, its
 * `when`, its `then`) known keys misspelled (dropped, doubled, swapped or
 * replaced characters, other case, camelCase, hyphens) and extra keys added
 * (other levels' keys, prototype names, empty, long, non-ASCII). Every such
 * body must be a 400 `invalid_route` whose `param` is one of the keys put in,
 * never a 5xx, and must write nothing; the sound bodies mixed in are created.
 * Seeded, so a failure replays (`SWITCHYARD_FUZZ_SEED=<n>`).
 */

const SEED = Number(process.env.SWITCHYARD_FUZZ_SEED ?? 0x5eed_2024);
const REQUESTS = 400;
const CONCURRENCY = 8;
const { int, pick, chance } = seededRandom(SEED);

const KNOWN: Record<"" | "when" | "then", readonly string[]> = {
  "": ["name", "priority", "enabled", "when", "then"],
  when: CONDITION_ORDER.filter((name) => name !== "enabled"),
  then: ["target_model", "fallbacks", "disable_cache", "max_cost_usd"],
};
type Level = keyof typeof KNOWN;
/** Accepted without an issue: an id in a patch, the reference's legacy action key. */
const DROPPED: Record<Level, readonly string[]> = {
  "": ["id"],
  when: [],
  then: ["force_cache_layer"],
};

const MODELS = ["gpt-a", "gpt-b", "gpt-c", "claude-a"];
const EXTRA_KEYS = [
  ...KNOWN[""],
  ...KNOWN.when,
  ...KNOWN.then,
  "org_id",
  "org",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "",
  " ",
  "x",
  "MODEL_IN",
  "model in",
  "ñandú",
  "🚲",
  "a".repeat(300),
];

function randomValue(depth = 0): Json {
  switch (int(depth > 2 ? 4 : 6)) {
    case 0:
      return null;
    case 1:
      return chance(0.5);
    case 2:
      return pick([0, -1, 1.5, 1e308, 4096]);
    case 3:
      return pick(["", "gpt-a", "x".repeat(100)]);
    case 4:
      return Array.from({ length: int(3) }, () => randomValue(depth + 1));
    default:
      return { model_in: randomValue(depth + 1), k: randomValue(depth + 1) };
  }
}

/** A route every rule accepts. */
function soundRoute(name: string): { [key: string]: Json } {
  const when: { [key: string]: Json } = {};
  if (chance(0.6)) when.model_in = [pick(MODELS)];
  if (chance(0.3)) when.input_tokens_lt = 1000 + int(1000);
  if (chance(0.3)) when.input_tokens_gt = int(500);
  if (chance(0.2)) when.tag_equals = "batch";
  for (const flag of ["has_images", "has_audio", "stream", "has_tools"]) {
    if (chance(0.15)) when[flag] = chance(0.5);
  }
  if (chance(0.3)) when.prompt_contains_any_of = ["refund", "invoice"];
  if (chance(0.2)) when.estimated_cost_gt = 0.01;
  if (chance(0.2)) when.estimated_cost_lt = 1;
  const target = pick(MODELS);
  const then: { [key: string]: Json } = { target_model: target };
  if (chance(0.4)) then.fallbacks = MODELS.filter((m) => m !== target).slice(0, 1 + int(2));
  if (chance(0.2)) then.disable_cache = true;
  if (chance(0.3)) then.max_cost_usd = 0.5;
  const route: { [key: string]: Json } = { name, when, then };
  if (chance(0.5)) route.priority = int(1000);
  if (chance(0.5)) route.enabled = chance(0.5);
  return route;
}

/** A key one edit away from `key`, or written in another style. */
function misspell(key: string): string {
  const i = int(key.length);
  switch (int(8)) {
    case 0:
      return key.slice(0, i) + key.slice(i + 1);
    case 1:
      return key.slice(0, i) + key.charAt(i) + key.slice(i);
    case 2:
      return key.slice(0, i) + key.charAt(i + 1) + key.charAt(i) + key.slice(i + 2);
    case 3:
      return key.slice(0, i) + pick(["a", "e", "x", "_", "-", "0"]) + key.slice(i + 1);
    case 4:
      return key.toUpperCase();
    case 5:
      return (
        key.replace(/_(.)/g, (_, c: string) => c.toUpperCase()) + (key.includes("_") ? "" : "s")
      );
    case 6:
      return key.replaceAll("_", "-") + (key.includes("_") ? "" : " ");
    default:
      return `${key}s`;
  }
}

const isAccepted = (level: Level, key: string, patch: boolean) =>
  (KNOWN[level] as readonly string[]).includes(key) ||
  (DROPPED[level].includes(key) && (level !== "" || patch));

/** Puts one unknown key into the body at a random level; returns its path. */
function injectUnknown(body: { [key: string]: Json }, patch: boolean): string {
  const level = pick<Level>(["", "when", "then"]);
  if (level !== "" && (typeof body[level] !== "object" || body[level] === null)) {
    body[level] = level === "then" ? { target_model: pick(MODELS) } : {};
  }
  const target = (level === "" ? body : body[level]) as { [key: string]: Json };
  const present = Object.keys(target).filter((k) => isAccepted(level, k, patch));
  let key: string;
  let value: Json;
  if (present.length > 0 && chance(0.6)) {
    const known = pick(present);
    key = misspell(known);
    value = target[known] as Json;
    if (!isAccepted(level, key, patch)) delete target[known];
  } else {
    key = pick(EXTRA_KEYS);
    value = randomValue();
  }
  if (isAccepted(level, key, patch)) return injectUnknown(body, patch);
  // defineProperty: `__proto__` becomes an own key, as JSON.parse makes it on the server
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return level === "" ? key : `${level}.${key}`;
}

function errorOf(text: string): { code?: string; param?: string | null } | undefined {
  try {
    return JSON.parse(text).error;
  } catch {
    return undefined;
  }
}

interface Case {
  readonly method: "POST" | "PATCH";
  readonly body: string;
  /** The paths of the unknown keys put in; empty for a sound body. */
  readonly unknown: readonly string[];
}

function randomCase(n: number): Case {
  const patch = chance(0.5);
  const route = soundRoute(`fuzz-${n}`);
  if (!patch && chance(0.1)) return { method: "POST", body: JSON.stringify(route), unknown: [] };
  const body: { [key: string]: Json } = {};
  if (patch) {
    for (const key of Object.keys(route)) if (chance(0.5)) body[key] = route[key] as Json;
  } else Object.assign(body, route);
  const unknown = Array.from({ length: 1 + int(3) }, () => injectUnknown(body, patch));
  return { method: patch ? "PATCH" : "POST", body: JSON.stringify(body), unknown };
}

describe.each(["memory", "postgres"])(
  "fuzzing route bodies with unknown keys (%s store)",
  (kind) => {
    let h: Harness;
    let db: TestDatabase | undefined;
    let pool: Pool;
    beforeAll(async () => {
      if (kind === "postgres") db = await createTestDatabase({ prefix: "sy_gateway_fuzz_routes" });
      h = await startHarness(db ? { route_store: { database_url: db.url } } : {});
      pool = new Pool(h.url, { connections: CONCURRENCY });
    }, 60_000);
    afterAll(async () => {
      await pool?.close();
      await h?.close();
      await db?.drop();
    });

    it(`${REQUESTS} POST and PATCH bodies: each unknown key is a 400 naming it, nothing written`, {
      timeout: 60_000,
    }, async () => {
      const api = routesApi(h.url, KEY_A);
      const existing = (await api.create({ name: "existing", then: { target_model: "gpt-a" } }))
        .json;
      const cases = Array.from({ length: REQUESTS }, (_, n) => randomCase(n));
      const failures: string[] = [];
      let next = 0;
      async function worker(): Promise<void> {
        while (next < cases.length) {
          const c = cases[next++] as Case;
          const res = await pool.request({
            method: c.method,
            path: c.method === "POST" ? "/v1/routes" : `/v1/routes/${existing.id}`,
            headers: { authorization: `Bearer ${KEY_A}`, "content-type": "application/json" },
            body: c.body,
          });
          const text = await res.body.text();
          const error = errorOf(text);
          const ok =
            c.unknown.length === 0
              ? res.statusCode === 201
              : res.statusCode === 400 &&
                error?.code === "invalid_route" &&
                c.unknown.some((path) => (path || null) === error.param);
          if (!ok)
            failures.push(
              `${c.method} ${c.body.slice(0, 300)} -> ${res.statusCode} ${text.slice(0, 300)}`,
            );
        }
      }
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      expect(failures, failures.slice(0, 5).join("\n")).toEqual([]);
      // Only the sound POSTs were written, and the patched route never changed.
      const sound = cases.filter((c) => c.unknown.length === 0).map((c) => JSON.parse(c.body).name);
      expect(sound.length).toBeGreaterThan(0);
      const listed = (await api.list()).json.data;
      expect(listed.map((r: { name: string }) => r.name).sort()).toEqual(
        ["existing", ...sound].sort(),
      );
      expect(listed.find((r: { id: string }) => r.id === existing.id)).toEqual(existing);
    });
  },
);
