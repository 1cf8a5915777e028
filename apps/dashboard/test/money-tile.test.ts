// The "money saved" tile (issue 14.11): its total equals the sum of its parts as displayed.
import { describe, expect, it } from "vitest";
import { formatSavings } from "../src/web/format.js";

/** A displayed amount (`$1,234.50`, `-$0.002`) as integer units of its last decimal, and its decimals. */
function units(text: string): { units: number; decimals: number } {
  const match = /^(-?)\$([\d,]+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new Error(`not a displayed amount: ${text}`);
  const decimals = match[3]?.length ?? 0;
  const value = Number(`${match[2]?.replaceAll(",", "")}${match[3] ?? ""}`);
  return { units: match[1] === "-" ? -value : value, decimals };
}

/** The tile's total and its two parts, read back from the text. */
function tile(promptUsd: number, responseUsd: number) {
  const { total, split } = formatSavings(promptUsd, responseUsd);
  const parts = /^prompt cache (\S+) · response cache (\S+)$/.exec(split);
  if (!parts) throw new Error(`unexpected split line: ${split}`);
  return { total: units(total), prompt: units(parts[1] ?? ""), response: units(parts[2] ?? "") };
}

const CASES: Array<[number, number]> = [
  [0.5004, 0.0004],
  [0.0014, 0.0023],
  [0.00449, 0.00449],
  [1.005, 2.004],
  [1234.565, 0.995],
  [-0.002, 0.01],
  [-0.5, 0.5],
  [0.0000126, 0.3],
  [0.3333333333, 0.6666666666],
  [0, 0],
  [0, 0.0031234],
];

describe("the money saved tile", () => {
  it.each(CASES)("prompt %d + response %d: the parts add up to the total as displayed", (p, r) => {
    const shown = tile(p, r);
    expect(shown.prompt.decimals).toBe(shown.total.decimals);
    expect(shown.response.decimals).toBe(shown.total.decimals);
    expect(shown.prompt.units + shown.response.units).toBe(shown.total.units);
  });

  it("shows every amount at the precision of the largest: cents from a dollar, three decimals from a cent, else two significant digits", () => {
    expect(formatSavings(0.5004, 0.0004).total).toBe("$0.501"); // the total is rounded honestly
    expect(formatSavings(1234.5, 0)).toEqual({
      total: "$1,234.50",
      split: "prompt cache $1,234.50 · response cache $0.00",
    });
    expect(formatSavings(0.0014, 0.0023)).toEqual({
      total: "$0.0037",
      split: "prompt cache $0.0014 · response cache $0.0023",
    });
    expect(formatSavings(0, 0)).toEqual({
      total: "$0.00",
      split: "prompt cache $0.00 · response cache $0.00",
    });
  });
});
