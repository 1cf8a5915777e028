/**
 * `JSON.stringify(s)` as UTF-8 bytes, fast for long strings. Node 20's
 * JSON.stringify escapes long text at a few hundred MB/s; here the text is
 * encoded once and the bytes that need escaping (controls, `"` and `\`) are
 * found with memchr-speed `indexOf` passes, then copied around. Output is
 * byte-identical to `Buffer.from(JSON.stringify(s))`; strings with lone
 * surrogates (which JSON.stringify escapes as \uXXXX) take JSON.stringify itself.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEEDS_ESCAPE: number[] = [QUOTE, BACKSLASH, ...Array.from({ length: 0x20 }, (_, i) => i)];
const SHORT: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" };

function escapeOf(byte: number): string {
  if (byte === QUOTE) return '\\"';
  if (byte === BACKSLASH) return "\\\\";
  return SHORT[byte] ?? `\\u00${byte.toString(16).padStart(2, "0")}`;
}

/** `String.prototype.isWellFormed` (Node 20; not in the ES2023 lib typings). */
const isWellFormed = (s: string): boolean =>
  (s as string & { isWellFormed(): boolean }).isWellFormed();

export function jsonStringBytes(s: string): Buffer {
  if (!isWellFormed(s)) return Buffer.from(JSON.stringify(s), "utf8");
  const text = Buffer.from(s, "utf8");
  const positions: number[] = [];
  for (const byte of NEEDS_ESCAPE) {
    for (let at = text.indexOf(byte); at !== -1; at = text.indexOf(byte, at + 1))
      positions.push(at);
  }
  positions.sort((a, b) => a - b);
  const out = Buffer.allocUnsafe(text.length + positions.length * 5 + 2);
  out[0] = QUOTE;
  let written = 1;
  let from = 0;
  for (const at of positions) {
    written += text.copy(out, written, from, at);
    written += out.write(escapeOf(text[at] as number), written, "latin1");
    from = at + 1;
  }
  written += text.copy(out, written, from);
  out[written++] = QUOTE;
  return out.subarray(0, written);
}
