import { vi } from "vitest";
import { call, type Reply } from "./http.js";

type O200k = typeof import("gpt-tokenizer/encoding/o200k_base");

/** Length of every text the spied tokenizer was asked to count, in order. */
export const countedLengths: number[] = [];
let countedTotal = 0;

/** Characters the spied tokenizer has finished counting so far (all calls that returned). */
export function countedChars(): number {
  return countedTotal;
}

const waiting: { readonly longerThan: number; readonly resolve: (counted: number) => void }[] = [];

/**
 * gpt-tokenizer's o200k_base with `countTokens` spied on (the real count
 * runs), for `vi.mock("gpt-tokenizer/encoding/o200k_base", () => spiedO200k())`.
 */
export async function spiedO200k(): Promise<O200k> {
  const real = await vi.importActual<O200k>("gpt-tokenizer/encoding/o200k_base");
  const countTokens: O200k["countTokens"] = (input, options) => {
    const length = typeof input === "string" ? input.length : 0;
    countedLengths.push(length);
    for (let i = waiting.length - 1; i >= 0; i--) {
      const w = waiting[i];
      if (w !== undefined && length > w.longerThan) {
        waiting.splice(i, 1);
        w.resolve(countedTotal);
      }
    }
    const count = real.countTokens(input, options);
    countedTotal += length;
    return count;
  };
  return { ...real, countTokens };
}

/**
 * Resolves when the tokenizer is first asked to count a text longer than
 * `longerThan`, with {@link countedChars} as it was when that call began.
 */
export function tokenizing(longerThan: number): Promise<number> {
  return new Promise((resolve) => waiting.push({ longerThan, resolve }));
}

/** A seeded run of lowercase letters with no break: one long word, no two pieces alike. */
export function oneWord(length: number, seed = 7): string {
  let s = seed >>> 0;
  const codes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    codes[i] = 97 + ((s >>> 16) % 26);
  }
  return Buffer.from(codes).toString("latin1");
}

/**
 * Sends the request `send` makes and, as soon as the tokenizer starts on a
 * text longer than 200 units (a piece of a long prompt), `GET /healthz` on
 * `base`. Returns the answers in arrival order (`"<label> <status>"`), the
 * request's reply, and how many characters the tokenizer finished between
 * that start and /healthz's answer.
 */
export async function healthzWhileTokenizing(
  base: string,
  label: string,
  send: () => Promise<Reply>,
): Promise<{ order: string[]; reply: Reply; countedMeanwhile: number }> {
  const order: string[] = [];
  let countedMeanwhile = Number.NaN;
  const health = tokenizing(200).then(async (from) => {
    const reply = await call(`${base}/healthz`, "GET");
    countedMeanwhile = countedChars() - from;
    order.push(`healthz ${reply.status}`);
  });
  const reply = await send();
  order.push(`${label} ${reply.status}`);
  await health;
  return { order, reply, countedMeanwhile };
}
