import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { KeywordScanner } from "../src/engine/keyword-scanner.js";
import { SEARCH_CHUNK } from "../src/engine/keyword-search.js";
import { PREPARE_STEP_CHARS, RoutingEngine } from "../src/index.js";
import { chat, route, userMessage } from "./fixtures.js";

const byIncludes = (keywords: string[], text: string) => keywords.map((k) => text.includes(k));

/** Runs a search in steps of `work` characters; returns the answers and the number of steps. */
function stepped(keywords: string[], text: string, work: number) {
  const found = new Uint8Array(keywords.length);
  const search = new KeywordScanner(keywords).search(text, found);
  let steps = 1;
  while (!search.advance(work)) steps++;
  return { answers: [...found].map((f) => f === 1), steps };
}

/** A long filler with each word placed so that it straddles the `at`-th chunk cut. */
function acrossCuts(words: string[], filler = "-"): string {
  const parts: string[] = [];
  let length = 0;
  words.forEach((word, i) => {
    const cut = (i + 1) * SEARCH_CHUNK;
    const start = cut - Math.floor(word.length / 2);
    parts.push(filler.repeat(start - length), word);
    length = start + word.length;
  });
  return parts.join("") + filler.repeat(100);
}

describe("KeywordSearch: a chunked search, the same answers as includes", () => {
  it("finds keywords that straddle a chunk cut, whatever the step size", () => {
    const keywords = ["straddler", "x", "longer-keyword-across", "absent"];
    const text = acrossCuts(["straddler", "longer-keyword-across", "x"]);
    for (const work of [1, 1000, SEARCH_CHUNK, Number.POSITIVE_INFINITY]) {
      expect(stepped(keywords, text, work).answers).toEqual(byIncludes(keywords, text));
    }
  });

  it("reads at most one chunk per step when asked for little work, so a long text takes many steps", () => {
    const text = "-".repeat(SEARCH_CHUNK * 8);
    expect(stepped(["absent"], text, 1).steps).toBe(8);
    expect(stepped(["absent"], text, SEARCH_CHUNK * 2).steps).toBe(4);
    expect(stepped(["absent"], text, Number.POSITIVE_INFINITY).steps).toBe(1);
  });

  it("stops as soon as every keyword is found", () => {
    const text = `found ${"-".repeat(SEARCH_CHUNK * 8)}`;
    expect(stepped(["found"], text, 1).steps).toBe(1);
  });

  it("cuts the includes fallback (a keyword everywhere) into steps too, and stays exact", () => {
    const text = `${"a".repeat(SEARCH_CHUNK * 3)}tail`;
    const keywords = ["a", "aa", "b", "c", "d", "tail", "missing"];
    const { answers, steps } = stepped(keywords, text, 1);
    expect(answers).toEqual(byIncludes(keywords, text));
    // Each chunk: one pass that gives up, then one step per keyword still missing.
    expect(steps).toBeGreaterThan(4 * 3);
  });

  it("property: stepwise answers equal includes on texts longer than a chunk (200 cases)", () => {
    const letter = fc.constantFrom("a", "b", "c", "😀", "\n");
    const keyword = fc.array(letter, { minLength: 1, maxLength: 5 }).map((l) => l.join(""));
    fc.assert(
      fc.property(
        fc.uniqueArray(keyword, { minLength: 1, maxLength: 8 }),
        fc.array(keyword, { maxLength: 6 }),
        fc.constantFrom(1, 5000, Number.POSITIVE_INFINITY),
        (keywords, placed, work) => {
          const text = acrossCuts(placed, "z");
          expect(stepped(keywords, text, work).answers).toEqual(byIncludes(keywords, text));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("RoutingEngine.preparePrompt: a long prompt searched ahead, in steps", () => {
  const routes = [
    route({
      name: "legal",
      priority: 90,
      when: { prompt_contains_any_of: ["Contract", "lawsuit"] },
    }),
    route({ name: "code", priority: 70, when: { prompt_contains_any_of: ["python", "SQL"] } }),
    route({ name: "tokens", priority: 10, when: { input_tokens_gt: 5 } }),
  ];
  const engine = new RoutingEngine(routes);
  const long = (words: string) => `${"filler ".repeat(100_000)}${words}`;

  it("routes as evaluate does without it, and as explain does", () => {
    for (const text of [long("a lawSUIT"), long("some sql"), long("nothing"), "short sql"]) {
      const request = chat("m", userMessage(text));
      const prepared = engine.preparePrompt(request);
      let steps = 0;
      while (!prepared.advance()) steps++;
      const expected = engine.evaluate(request, {}, 10)?.name;
      expect(engine.evaluate(request, { prompt: prepared }, 10)?.name).toBe(expected);
      expect(engine.explain(request, { prompt: prepared }, 10).route?.name).toBe(expected);
      if (text.length > PREPARE_STEP_CHARS) expect(steps).toBeGreaterThan(1);
    }
  });

  it("does the work in the steps: evaluate with a prepared prompt searches nothing", () => {
    const request = chat("m", userMessage(long("python")));
    const prepared = engine.preparePrompt(request);
    while (!prepared.advance());
    const includes = vi.spyOn(String.prototype, "includes");
    const scan = vi.spyOn(KeywordScanner.prototype, "matchChunk");
    let name: string | undefined;
    let searches = -1;
    try {
      name = engine.evaluate(request, { prompt: prepared }, 10)?.name;
      searches = includes.mock.calls.length + scan.mock.calls.length;
    } finally {
      includes.mockRestore();
      scan.mockRestore();
    }
    expect(name).toBe("code");
    expect(searches).toBe(0);
  });

  it("(the same spies do see a search without a prepared prompt)", () => {
    const request = chat("m", userMessage(long("python")));
    const includes = vi.spyOn(String.prototype, "includes");
    const scan = vi.spyOn(KeywordScanner.prototype, "matchChunk");
    let searches = -1;
    try {
      expect(engine.evaluate(request, {}, 10)?.name).toBe("code");
      searches = includes.mock.calls.length + scan.mock.calls.length;
    } finally {
      includes.mockRestore();
      scan.mockRestore();
    }
    expect(searches).toBeGreaterThan(0);
  });

  it("finishes a prompt not yet ready, and ignores one prepared by another engine", () => {
    const request = chat("m", userMessage(long("contract")));
    const unfinished = engine.preparePrompt(request);
    expect(engine.evaluate(request, { prompt: unfinished }, 10)?.name).toBe("legal");
    expect(unfinished.done).toBe(true);
    const other = new RoutingEngine([
      route({ name: "other", when: { prompt_contains_any_of: ["zzz", "contract"] } }),
    ]);
    const foreign = other.preparePrompt(chat("m", userMessage("zzz")));
    foreign.finish();
    expect(engine.evaluate(request, { prompt: foreign }, 10)?.name).toBe("legal");
  });

  it("is ready at once for an engine without keywords", () => {
    const plain = new RoutingEngine([route({ name: "any" })]);
    const prepared = plain.preparePrompt(chat("m", userMessage(long("x"))));
    expect(prepared.advance()).toBe(true);
    expect(plain.evaluate(chat("m"), { prompt: prepared }, 0)?.name).toBe("any");
  });
});
