import { setImmediate as nextTurn } from "node:timers/promises";

/**
 * Longest piece of text (UTF-16 code units, so at most 768 UTF-8 bytes)
 * handed to a BPE tokenizer in one call. BPE merging is quadratic in the
 * length of one pre-token (an unbroken word: 40k letters take ~0.65 s, 80k
 * ~2.6 s), so text is counted in pieces of at most this length: the work is
 * linear in the text, and one call stays well under a millisecond.
 */
export const MAX_TOKEN_PIECE = 256;

/**
 * Default length of one slice of asynchronous counting before it yields to
 * the event loop. The slice ends after the piece that crosses it, and a
 * worst-case piece (256 letters of one word) takes ~0.3 ms, so a slice
 * holds the loop for at most ~0.8 ms.
 */
const DEFAULT_SLICE_MS = 0.5;

/**
 * Resolves after a whole turn of the event loop: timers and pending I/O run
 * before it does. (One `setImmediate` from I/O callbacks would run in the
 * same turn's check phase, before any new I/O; the second one cannot.)
 */
export async function fullTurn(): Promise<void> {
  await nextTurn();
  await nextTurn();
}

/** A tokenizer's count of one piece of text (e.g. gpt-tokenizer's `countTokens`). */
export type CountPiece = (piece: string) => number;

/** Whether `code` (a UTF-16 unit) is an ASCII letter or digit. */
function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Whether `code` is whitespace in the tokenizer's sense (`\s`), for the units it can meet at a cut. */
function isSpace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * Whether the pre-tokenizer of `o200k_base` and `cl100k_base` always starts a
 * new pre-token at `i`, whatever comes around it, so counting the text on
 * either side separately gives the same total:
 * - a space after a non-space (no pre-token holds a non-space followed by a
 *   space: a space is only ever the first character of one, or part of a
 *   whitespace run);
 * - an ASCII character other than a letter, digit or `'` after an ASCII letter
 *   or digit (a pre-token holding a letter or digit ends with letters, digits
 *   or a contraction such as `'s`).
 */
function isCleanCut(text: string, i: number): boolean {
  const before = text.charCodeAt(i - 1);
  const at = text.charCodeAt(i);
  if (at === 32) return !isSpace(before);
  return at < 128 && at !== 39 && !isAsciiAlnum(at) && isAsciiAlnum(before);
}

/**
 * The end (exclusive) of the piece of `text` that starts at `start`: the whole
 * rest when it is at most `max` units long; else the last clean cut (see
 * above) in the second half of the window, so counts of ordinary text,
 * code and JSON are exactly the counts of the whole text; else, inside a run
 * with no clean cut (one long word, a run of one character, a script written
 * without spaces), `max` units on, never between the two halves of a
 * surrogate pair. Only those forced cuts can change a count (a token may be
 * split in two, or two merge differently), by about one token per cut.
 */
export function pieceEnd(text: string, start: number, max: number = MAX_TOKEN_PIECE): number {
  const limit = start + max;
  if (limit >= text.length) return text.length;
  const floor = start + (max >> 1);
  for (let i = limit; i > floor; i--) if (isCleanCut(text, i)) return i;
  const last = text.charCodeAt(limit - 1);
  return last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit;
}

/**
 * Tokens of `text`, counted piece by piece, synchronously: linear in the
 * text. For text that may be long, prefer {@link SlicedCounter}.
 */
export function countInPieces(count: CountPiece, text: string): number {
  if (text.length <= MAX_TOKEN_PIECE) return text === "" ? 0 : count(text);
  let total = 0;
  for (let start = 0; start < text.length; ) {
    const end = pieceEnd(text, start);
    total += count(text.slice(start, end));
    start = end;
  }
  return total;
}

/**
 * Counts texts piece by piece without holding the event loop. A text longer
 * than one piece is never started in the turn that asked for it: the counter
 * first waits a {@link fullTurn}, once. Then, after each piece, once the
 * current slice has run `sliceMs`, it yields (`setImmediate`, from the check
 * phase: timers and pending I/O run first) and starts a new slice. Texts of
 * one piece are counted at once (the slice then runs from the counter's
 * creation). One counter per request.
 */
export class SlicedCounter {
  private sliceStart = performance.now();
  private yielded = false;

  constructor(
    private readonly count: CountPiece,
    private readonly sliceMs: number = DEFAULT_SLICE_MS,
  ) {}

  /** Tokens of `text` (the same number as {@link countInPieces}). */
  async tokens(text: string): Promise<number> {
    if (!this.yielded && text.length > MAX_TOKEN_PIECE) {
      await fullTurn();
      this.yielded = true;
      this.sliceStart = performance.now();
    }
    let total = 0;
    for (let start = 0; start < text.length; ) {
      const end = pieceEnd(text, start);
      total += this.count(text.slice(start, end));
      start = end;
      if (performance.now() - this.sliceStart >= this.sliceMs) await this.nextSlice();
    }
    return total;
  }

  private async nextSlice(): Promise<void> {
    await nextTurn();
    this.sliceStart = performance.now();
  }
}
