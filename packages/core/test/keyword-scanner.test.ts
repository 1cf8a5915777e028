import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { KeywordScanner, MAX_MATCHES } from "../src/engine/keyword-scanner.js";
import { KeywordMemo, KeywordTable } from "../src/engine/keyword-table.js";
import { KeywordUse, SCAN_MIN_LENGTH, scanCostInSearches } from "../src/engine/keyword-use.js";
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
    const letter = fc.constantFrom("a", "b", "c", ".", "|", "\n", "😀", "\uD83D");
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

describe("KeywordMemo: one keyword at a time or one scan, the same answers", () => {
  const keywords = Array.from({ length: 40 }, (_, i) => `kw${String(i).padStart(2, "0")}`);
  const table = new KeywordTable();
  for (const k of keywords) table.intern(k);
  const long = (words: string) => `${"-".repeat(16_384)} ${words}`;

  it("answers every keyword like includes, request after request, as the policy changes its mind", () => {
    const memo = new KeywordMemo(table);
    const use = new KeywordUse();
    const texts = [
      long("kw01 kw33"),
      "kw05 kw06",
      long(""),
      long("kw39 kw00 kw17"),
      "-".repeat(SCAN_MIN_LENGTH),
      long("kw0 kw1 kw2 kw3 kw4 kw5 kw6 kw7 kw8 kw9"),
    ];
    for (let round = 0; round < 6; round++) {
      for (const text of texts) {
        memo.next(use);
        // Some requests ask about a few keywords, some about all, in a scrambled order, some twice.
        const count = round % 2 === 0 ? keywords.length : 5;
        for (let i = 0; i < count; i++) {
          const id = (i * 7 + round) % keywords.length;
          expect(memo.contains(text, id)).toBe(text.includes(keywords[id] as string));
          expect(memo.contains(text, id)).toBe(text.includes(keywords[id] as string));
        }
        memo.finish();
      }
    }
  });

  it("scans at once only for long prompts of a candidate list whose requests ask about many keywords", () => {
    const memo = new KeywordMemo(table);
    const scan = vi.spyOn(table.keywordScanner(), "scan");
    const use = new KeywordUse();
    const ask = (text: string, count: number) => {
      memo.next(use);
      for (let id = 0; id < count; id++) memo.contains(text, id);
      memo.finish();
    };
    // Untrained: single searches only, however many keywords the request asks about.
    ask(long(""), keywords.length);
    expect(scan).not.toHaveBeenCalled();
    // Requests that ask about every keyword teach the list to scan at the first question.
    for (let i = 0; i < 20; i++) ask(long(""), keywords.length);
    scan.mockClear();
    ask(long(""), 1);
    expect(scan).toHaveBeenCalledTimes(1);
    // Short prompts never scan; requests asking about one keyword teach it back.
    scan.mockClear();
    ask("kw00", keywords.length);
    expect(scan).not.toHaveBeenCalled();
    for (let i = 0; i < 30; i++) ask(long(""), 1);
    scan.mockClear();
    ask(long(""), 1);
    expect(scan).not.toHaveBeenCalled();
    expect(scanCostInSearches(keywords.length)).toBeLessThan(keywords.length);
    scan.mockRestore();
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
