import type { IssueList, JsonObject } from "./json-reader.js";
import { join } from "./json-reader.js";
import type { NewRoute, RouteAction, RouteConditions } from "./types.js";

/**
 * What a decoder does with a key the route format does not know. Writes
 * reject it (a typo such as `when.modle_in` would otherwise drop a condition
 * and widen the route to every request); reads of stored routes ignore it,
 * as serde does, so rows written by a newer version still load.
 */
export type UnknownFields = "reject" | "ignore";

/** Every key of `T`, checked at compile time: a field added to the type must be added here. */
function keysOf<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : never),
  ): K => keys;
}

/** The fields of one JSON object of the route format, for unknown-key checks and their messages. */
interface FieldSet {
  /** What one of the fields is called in a message: "route field", "condition", ... */
  readonly noun: string;
  readonly known: readonly string[];
  /** Keys accepted and dropped without an issue. */
  readonly dropped?: ReadonlySet<string>;
  /** Keys rejected with their own explanation instead of the generic one. */
  readonly explained?: ReadonlyMap<string, string>;
}

const ROUTE_KEYS = keysOf<NewRoute>()(["name", "priority", "enabled", "when", "then"]);

export const NEW_ROUTE_FIELDS: FieldSet = {
  noun: "route field",
  known: ROUTE_KEYS,
  explained: new Map([
    [
      "id",
      "is assigned by the store when the route is created; omit it (to change an existing route, patch it by its id)",
    ],
  ]),
};

/** A patch names the same fields; an `id` is dropped, so a client can send back the route it read. */
export const PATCH_FIELDS: FieldSet = {
  noun: "route field",
  known: ROUTE_KEYS,
  dropped: new Set(["id"]),
};

/** Every condition, in wire order (the order `conditionsToWire` writes them). */
export const CONDITION_KEYS = keysOf<RouteConditions>()([
  "model_in",
  "input_tokens_lt",
  "input_tokens_gt",
  "tag_equals",
  "has_images",
  "has_audio",
  "prompt_contains_any_of",
  "estimated_cost_gt",
  "estimated_cost_lt",
  "stream",
  "has_tools",
]);

export const CONDITION_FIELDS: FieldSet = { noun: "condition", known: CONDITION_KEYS };

export const ACTION_FIELDS: FieldSet = {
  noun: "action field",
  known: keysOf<RouteAction>()(["target_model", "fallbacks", "disable_cache", "max_cost_usd"]),
  // The reference's legacy key: ignored on read and never written, so a body
  // copied from a reference client is accepted and the key dropped.
  dropped: new Set(["force_cache_layer"]),
};

/** At most this many unknown keys of one object are reported one by one; the rest are counted. */
const MAX_REPORTED = 10;

/** Adds an issue for every key of `obj` that `fields` does not know (nothing when ignoring). */
export function checkKnownKeys(
  obj: JsonObject,
  path: string,
  fields: FieldSet,
  unknownFields: UnknownFields,
  issues: IssueList,
): void {
  if (unknownFields === "ignore") return;
  let unknown = 0;
  for (const key of Object.keys(obj)) {
    if (fields.known.includes(key) || fields.dropped?.has(key)) continue;
    unknown += 1;
    if (unknown > MAX_REPORTED) continue;
    issues.add(join(path, key), fields.explained?.get(key) ?? unknownKeyMessage(key, fields));
  }
  if (unknown > MAX_REPORTED) {
    const more = unknown - MAX_REPORTED;
    issues.add(
      path,
      `has ${more} more unknown ${fields.noun}${more === 1 ? "" : "s"}; remove them`,
    );
  }
}

function unknownKeyMessage(key: string, fields: FieldSet): string {
  const guess = closest(key, fields.known);
  const hint = guess === undefined ? "" : ` (did you mean ${guess}?)`;
  return `is not a known ${fields.noun}${hint}; known ${fields.noun}s: ${fields.known.join(", ")}`;
}

/** The known key nearest to a misspelling, if near enough to be the one meant. */
function closest(key: string, known: readonly string[]): string | undefined {
  const typed = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const limit = Math.max(1, Math.floor(candidate.length / 3));
    if (Math.abs(typed.length - candidate.length) > limit) continue;
    const distance = editDistance(typed, candidate);
    if (distance < bestDistance && distance <= limit) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    before = previous;
    previous = row;
  }
  return previous[b.length] ?? 0;
}
