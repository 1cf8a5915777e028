import { describe, expect, it } from "vitest";
import { parseJsonObject } from "../src/pipeline/parse-json.js";

describe("parseJsonObject", () => {
  it("bodies nested deeper than 100 levels are a 400, 100 is fine", () => {
    const nested = (n: number) => `{"a":${"[".repeat(n - 1)}1${"]".repeat(n - 1)}}`;
    expect(() => parseJsonObject(Buffer.from(nested(100)))).not.toThrow();
    expect(() => parseJsonObject(Buffer.from(nested(101)))).toThrow(/nested deeper than 100/);
    expect(() => parseJsonObject(Buffer.from(nested(100_000)))).toThrow(/nested deeper than 100/);
  });
});
