import { describe, expect, it } from "vitest";
import { hashHex } from "../src/index.js";

describe("hashHex", () => {
  it("writes each byte as two lower-case hex digits, leading zeros kept", () => {
    expect(hashHex(new Uint8Array([0x00, 0x0f, 0xa0, 0xff]))).toBe("000fa0ff");
    expect(hashHex(new Uint8Array(0))).toBe("");
  });

  it("reads only the view's bytes, not the rest of its buffer", () => {
    const memory = new Uint8Array([0x11, 0x22, 0x33, 0x44, 0x55]);
    expect(hashHex(memory.subarray(1, 3))).toBe("2233");
    expect(hashHex(new Uint8Array(memory.buffer, 3, 2))).toBe("4455");
  });

  it("takes a Buffer like any Uint8Array", () => {
    expect(hashHex(Buffer.from("cafe", "hex"))).toBe("cafe");
  });
});
