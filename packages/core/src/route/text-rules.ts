import type { IssueList } from "./json-reader.js";
import type { NewRoute } from "./types.js";

/*
 * What a route's strings may hold on write. A name goes into the
 * `x-switchyard-route` response header, every string into Postgres text or
 * jsonb (which rejects NUL and replaces lone surrogates), so writes refuse
 * what either cannot carry unchanged; the stores then agree. Reads stay
 * lenient: rows written before these rules still load.
 */

/** The longest route name accepted on write, in characters (code points). */
export const MAX_ROUTE_NAME_LENGTH = 200;
/** The longest other route string (model, tag, keyword) accepted on write, in characters. */
export const MAX_ROUTE_STRING_LENGTH = 1000;

const LONE_SURROGATE = /\p{Cs}/u;
const NUL = "\u0000";
/** C0, DEL and C1 controls (Cc), and invisible format characters (Cf) such as U+200B. */
const NAME_FORBIDDEN = /[\p{Cc}\p{Cf}]/u;
const EDGE_SPACE = /^\s|\s$/u;

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

function characters(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** NUL, lone surrogates and the length cap: the rules for every stored string. */
function checkStoredText(text: string, path: string, max: number, issues: IssueList): boolean {
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    issues.add(
      path,
      `contains a lone surrogate ${codePoint(surrogate[0])}; send valid UTF-16 text`,
    );
    return false;
  }
  if (text.includes(NUL)) {
    issues.add(
      path,
      "contains a control character U+0000 (NUL), which cannot be stored; remove it",
    );
    return false;
  }
  const length = characters(text);
  if (length > max) {
    issues.add(path, `must be at most ${max} characters, got ${length}`);
    return false;
  }
  return true;
}

/** A route name: 1..200 characters, no control or invisible format characters, no edge whitespace. */
export function checkRouteName(name: string, issues: IssueList): void {
  if (name.trim() === "") {
    issues.add("name", "must not be empty");
    return;
  }
  if (!checkStoredText(name, "name", MAX_ROUTE_NAME_LENGTH, issues)) return;
  const bad = NAME_FORBIDDEN.exec(name);
  if (bad) {
    const kind = /\p{Cc}/u.test(bad[0]) ? "control character" : "invisible format character";
    issues.add(
      "name",
      `contains a ${kind} ${codePoint(bad[0])}; a route name is visible text (it is sent in the x-switchyard-route header)`,
    );
  } else if (EDGE_SPACE.test(name)) {
    issues.add("name", "has leading or trailing whitespace; remove it (header values are trimmed)");
  }
}

/** Every string of a route but its name: models, tag, keywords. */
export function checkRouteStrings(route: NewRoute, issues: IssueList): void {
  const check = (text: string, path: string): void => {
    checkStoredText(text, path, MAX_ROUTE_STRING_LENGTH, issues);
  };
  route.when.model_in.forEach((model, i) => {
    check(model, `when.model_in[${i}]`);
  });
  if (route.when.tag_equals !== null) check(route.when.tag_equals, "when.tag_equals");
  (route.when.prompt_contains_any_of ?? []).forEach((keyword, i) => {
    check(keyword, `when.prompt_contains_any_of[${i}]`);
  });
  check(route.then.target_model, "then.target_model");
  (route.then.fallbacks ?? []).forEach((model, i) => {
    check(model, `then.fallbacks[${i}]`);
  });
}
