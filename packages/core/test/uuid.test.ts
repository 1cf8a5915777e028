import { describe, expect, it } from "vitest";
import { isUuid, uuidv7 } from "../src/index.js";

describe("uuidv7", () => {
  it("makes version-7, RFC-variant UUIDs", () => {
    const id = uuidv7();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe("7");
    expect(["8", "9", "a", "b"]).toContain(id[19]);
  });

  it("encodes the millisecond timestamp in the first 48 bits", () => {
    // Ahead of every id made so far: the generator never goes back to a past
    // millisecond, so a fixed date would fail once the wall clock passed it.
    const ms = Date.now() + 60_000;
    const id = uuidv7(ms);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms);
  });

  it("sorts in creation order, also within one millisecond", () => {
    const ms = Date.now() + 10_000;
    const ids = Array.from({ length: 5000 }, () => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("never goes backwards when the clock does", () => {
    const later = uuidv7(Date.now() + 20_000);
    const earlier = uuidv7(Date.now());
    expect(earlier > later).toBe(true);
  });
});

describe("isUuid", () => {
  it("accepts hyphenated UUIDs in either case and rejects anything else", () => {
    expect(isUuid("0190A8B2-7C3D-7E4F-8A1B-2C3D4E5F6A7B")).toBe(true);
    expect(isUuid("0190a8b27c3d7e4f8a1b2c3d4e5f6a7b")).toBe(false);
    expect(isUuid("' OR 1=1 --")).toBe(false);
    expect(isUuid(42)).toBe(false);
  });
});
