import * as crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashApiKey } from "../src/hashing/api-key-hash.js";
import { sha256, sha256Using } from "../src/hashing/sha256.js";

const SAMPLES = [
  "",
  "abc",
  "sy-bench-key",
  "straße 日本 🙂",
  "lone \ud800 surrogate",
  "x".repeat(5000),
];
const reference = (data: string, encoding: "hex" | "base64url") =>
  crypto.createHash("sha256").update(data).digest(encoding);

describe("sha256: one-shot crypto.hash when present, createHash otherwise", () => {
  it("matches the known vector for 'abc'", () => {
    expect(sha256("abc", "hex")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  // crypto.hash: Node >= 20.12 (engines allows older 20.x, where only the fallback runs).
  const hash = (crypto as { hash?: Parameters<typeof sha256Using>[0] }).hash;

  it.skipIf(hash === undefined)(
    "the one-shot path and the createHash fallback give the same digests",
    () => {
      const oneShot = sha256Using(hash);
      const fallback = sha256Using(undefined);
      for (const data of SAMPLES) {
        for (const encoding of ["hex", "base64url"] as const) {
          expect(oneShot(data, encoding)).toBe(reference(data, encoding));
          expect(fallback(data, encoding)).toBe(reference(data, encoding));
          expect(sha256(data, encoding)).toBe(reference(data, encoding));
        }
      }
    },
  );

  it("uses the one-shot function it is given", () => {
    const calls: string[] = [];
    const digest = sha256Using((algorithm, data, encoding) => {
      calls.push(`${algorithm}:${data}:${encoding}`);
      return "digest";
    });
    expect(digest("key", "hex")).toBe("digest");
    expect(calls).toEqual(["sha256:key:hex"]);
  });

  it("API key hashes stay the stored form (SHA-256 hex)", () => {
    expect(hashApiKey("sy-demo-key")).toBe(reference("sy-demo-key", "hex"));
  });
});
