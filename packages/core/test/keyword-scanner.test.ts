import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeywordScanner, MAX_MATCHES } from "../src/engine/keyword-scanner.js";
import {
  KeywordMemo,
  KeywordTable,
  SCAN_MIN_LENGTH,
  SEARCHES_BEFORE_SCAN,
} from "../src/engine/keyword-table.js";
import { RoutingEngine } from "../src/index.js";
import { chat, route, userMessage } from "./fixtures.js";

function scanned(keywords: string[], text: string): boolean[] {
  const found = new Uint8Array(keywords.length);
  new KeywordScanner(keywords).scan(text, found);
  return [...found].map((f) => f === 1);
}

const byIncludes = (keywords: string[], text: string) => keywords.map((k) => text.includes(k));

describe("KeywordScanner: one pass, the same answers as includes per keyword", () => {
  it("finds keywords that start at the same place or sit inside each other", () => {
    const keywords = ["sql", "mysql", "my", "sum", "summarize", "ize", "absent"];
    const text = "please summarize this mysql dump";
    expect(scanned(keywords, text)).toEqual([true, true, true, true, true, true, false]);
  });

  it("treats regular-expression syntax, line breaks and astral characters as plain text", () => {
    const keywords = ["c++", "a.b", "(x)", "[y]", "\\", "$^", "a|b", "/", "\n", "😀", "{2}", "a*"];
    expect(scanned(keywords, "c++ and (x) then \\ a|b 😀 a*")).toEqual(
      byIncludes(keywords, "c++ and (x) then \\ a|b 😀 a*"),
    );
    expect(scanned(keywords, "axb yy aab ab cc")).toEqual(byIncludes(keywords, "axb yy aab ab cc"));
    expect(scanned(["a.b"], "axb")).toEqual([false]);
  });

  it("stays exact past its match budget (a keyword that matches everywhere)", () => {
    const text = `${"a".repeat(MAX_MATCHES * 4)} tail-word`;
    const keywords = ["a", "tail-word", "aa", "missing"];
    expect(scanned(keywords, text)).toEqual([true, true, true, false]);
  });

  it("refuses an empty keyword (the engine never interns one)", () => {
    expect(() => new KeywordScanner(["x", ""])).toThrow(/must not be empty/);
  });

  it("property: agrees with includes on overlapping keywords over a small alphabet (3,000 cases)", () => {
    const letter = fc.constantFrom("a", "b", "c", ".", "|", "\n");
    const keyword = fc.array(letter, { minLength: 1, maxLength: 4 }).map((l) => l.join(""));
    fc.assert(
      fc.property(
        fc.uniqueArray(keyword, { minLength: 1, maxLength: 12 }),
        fc.array(letter, { maxLength: 60 }).map((l) => l.join("")),
        (keywords, text) => {
          expect(scanned(keywords, text)).toEqual(byIncludes(keywords, text));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe("KeywordMemo: a few searches one by one, then one scan, per request", () => {
  const keywords = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"];
  const table = new KeywordTable();
  for (const k of keywords) table.intern(k);

  it("answers every keyword right before and after it switches to the scan, request after request", () => {
    const memo = new KeywordMemo(table);
    const pad = "-".repeat(SCAN_MIN_LENGTH);
    // Long prompts switch to the scan, short ones never do; alternate them on one memo.
    const texts = [
      "k1 k6",
      `${pad}k0 k7 k3`,
      "",
      `k5${pad}`,
      "k2 k4 k1 k6",
      `${pad}k2 k4 k1 k6`,
      pad,
    ];
    for (const text of texts) {
      memo.next();
      // Ask more than SEARCHES_BEFORE_SCAN keywords, some twice, in a scrambled order.
      const order = [6, 1, 6, 0, 3, 7, 2, 1, 5, 4, 0];
      expect(order.length).toBeGreaterThan(SEARCHES_BEFORE_SCAN);
      for (const id of order) {
        expect(memo.contains(text, id)).toBe(text.includes(keywords[id] as string));
      }
    }
  });
});

describe("RoutingEngine with many keyword routes", () => {
  const keywordRoute = (name: string, priority: number, words: string[]) =>
    route({ name, priority, when: { prompt_contains_any_of: words } });

  it("picks the first route whose keywords the prompt contains, case-insensitively, across requests", () => {
    const routes = [
      keywordRoute("legal", 90, ["Contract", "lawsuit"]),
      keywordRoute("medical", 80, ["diagnosis", "symptom"]),
      keywordRoute("code", 70, ["python", "SQL", "regex"]),
      keywordRoute("poetry", 60, ["haiku", "poem"]),
      keywordRoute("billing", 50, ["invoice", "refund"]),
    ];
    const engine = new RoutingEngine(routes);
    const ask = (text: string) => engine.evaluate(chat("m", userMessage(text)), {}, 0)?.name;
    expect(ask("write a POEM about a mysql REFUND")).toBe("code");
    expect(ask("a haiku, then an invoice")).toBe("poetry");
    expect(ask("nothing to see")).toBeUndefined();
    expect(ask(`${"filler ".repeat(5_000)}my refund please`)).toBe("billing");
    expect(ask("Symptoms of a lawsuit")).toBe("legal");
  });
});
