import { createRng, type Rng } from "../../lib/prng.js";

/**
 * Request bodies, generated from a seed (the same bytes on every run).
 *
 * Prompt text is made of pseudo-words of consonant-vowel syllables over a
 * consonant set without c, g, q, x and y: no two vowels or two consonants are
 * ever adjacent, so no keyword of the route set (`legal`, `sql`, `poem`,
 * `haiku`, ...) can occur in it and no keyword route can match by accident.
 * Word frequencies follow a Zipf law over a 3,000-word vocabulary, so the BPE
 * tokenizer sees a realistic mix of repeated and rare words.
 */
const CONSONANTS = "bdfhklmnprstvwz";
const VOWELS = "aeiou";
const VOCABULARY = 3_000;

function pseudoWord(rng: Rng): string {
  const syllables = rng.int(1, 4);
  let word = "";
  for (let i = 0; i < syllables; i++) {
    word += CONSONANTS[rng.int(0, CONSONANTS.length - 1)];
    word += VOWELS[rng.int(0, VOWELS.length - 1)];
  }
  return word;
}

function vocabulary(rng: Rng): { words: string[]; cumulative: number[] } {
  const words: string[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= VOCABULARY; rank++) {
    words.push(pseudoWord(rng));
    total += 1 / rank;
    cumulative.push(total);
  }
  return { words, cumulative: cumulative.map((c) => c / total) };
}

/** `count` words of Zipf-distributed pseudo-text with sentence breaks. */
export function pseudoText(seed: number, count: number): string {
  const rng = createRng(seed);
  const { words, cumulative } = vocabulary(rng);
  const out: string[] = [];
  let sentence = 0;
  for (let i = 0; i < count; i++) {
    const u = rng.next();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    let word = words[lo] as string;
    if (sentence === 0) word = word[0]?.toUpperCase() + word.slice(1);
    sentence++;
    if (sentence >= rng.int(8, 20)) {
      word += ".";
      sentence = 0;
    }
    out.push(word);
  }
  return out.join(" ");
}

const SYSTEM = "You are a concise assistant for an online shop. Answer in plain words.";

export interface BodyOptions {
  readonly model: string;
  /** Pseudo-words of prompt text (about 1.3 tokens each). */
  readonly words: number;
  readonly seed: number;
  readonly stream?: boolean;
  /** `temperature: 0` makes the request cacheable by the gateway's response cache. */
  readonly deterministic?: boolean;
  /** A top-level `cache_control` marker (prompt-cache breakpoint on the last block). */
  readonly cacheMarker?: boolean;
}

/** An OpenAI Chat Completions body: a system message, a long context turn, a short question. */
export function chatBody(options: BodyOptions): Buffer {
  const context = pseudoText(options.seed, options.words);
  return Buffer.from(
    JSON.stringify({
      model: options.model,
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: context },
        { role: "assistant", content: "Noted. What would you like to know?" },
        { role: "user", content: "Which three words come up most often above?" },
      ],
      max_tokens: 200,
      ...(options.deterministic ? { temperature: 0 } : {}),
      ...(options.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      ...(options.cacheMarker ? { cache_control: { type: "ephemeral" } } : {}),
    }),
  );
}
