import { describe, expect, it } from "vitest";
import { formatUsd, roundUsd, USD_DECIMALS } from "../src/index.js";

describe("money on the wire (issue 14.11)", () => {
  it("formatUsd writes a plain decimal with at most 10 decimals, trailing zeros trimmed", () => {
    expect(USD_DECIMALS).toBe(10);
    expect(formatUsd(0)).toBe("0");
    expect(formatUsd(3e-7)).toBe("0.0000003");
    expect(formatUsd(0.006)).toBe("0.006");
    expect(formatUsd(12.5)).toBe("12.5");
    expect(formatUsd(100)).toBe("100");
    expect(formatUsd(1.5e-9)).toBe("0.0000000015");
    expect(formatUsd(5e-11)).toBe("0.0000000001");
  });

  it("formatUsd never shows floating point noise, and a rounded zero has no sign", () => {
    expect(formatUsd(0.000012599999999999998)).toBe("0.0000126");
    expect(formatUsd(0.1 + 0.2)).toBe("0.3");
    expect(formatUsd(-0.0021000000000000003)).toBe("-0.0021");
    expect(formatUsd(-1e-12)).toBe("0");
    expect(formatUsd(-0)).toBe("0");
  });

  it("what formatUsd writes is a JSON number, and roundUsd is that number", () => {
    for (const value of [0.000012599999999999998, 0.1 + 0.2, -0.0021000000000000003, 3e-7, 42]) {
      expect(JSON.parse(formatUsd(value))).toBe(roundUsd(value));
      expect(Math.abs(roundUsd(value) - value)).toBeLessThanOrEqual(5e-11);
    }
    expect(roundUsd(0.1 + 0.2)).toBe(0.3);
  });
});
