import { createRng, type Rng } from "../../lib/prng.js";

/** The model every request names (it has a tariff in the scenario). */
export const MODEL = "claude-bench";

const WORDS = (
  "the of and to in is that for it as was with be by on not he this are or his from at which " +
  "but have an they you were her she there been one all we their has would when if so no will " +
  "more can out up who its what about into than them only other new some could these two may " +
  "first then do any like my now over such our man me even most made after also did many before " +
  "must through back years where much your way well down should because each just those people how " +
  "too little state good very make world still own see men work long get here between both life " +
  "being under never day same another know while last might us great old year off come since against " +
  "go came right used take three himself few house use during without again place around however home " +
  "small found thought went say part once general high upon school every does got united left number " +
  "course war until always away something fact though water less public put think almost hand enough " +
  "far took head yet government system better set told nothing night end why called didn find going " +
  "look asked later knew point next program city business give group toward young days let room " +
  "president side social given present several order national possible rather second face per among " +
  "form important often things looked early white case john become large big need four within felt " +
  "along children saw best church ever least power development light thing seemed family interest want " +
  "members mind country area others done turned although open problem god service certain kind began " +
  "thus different door help means sense whole matter perhaps itself york times law human line above " +
  "name example action company local show whether five history gave today either act feet across taken " +
  "past quite anything seen having death experience body word half really field week car words already " +
  "deployment latency throughput tokenizer invoice contract payment refund schedule database replica " +
  "gateway cluster region request response stream function argument parameter configuration timeout"
).split(" ");

function sentence(rng: Rng, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(rng.pick(WORDS));
  const first = out[0] ?? "";
  out[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${out.join(" ")}.`;
}

/** About `words` words of prose in sentences of 8 to 24 words, paragraphs of 3 to 6 sentences. */
export function prose(rng: Rng, words: number): string {
  const paragraphs: string[] = [];
  let left = words;
  while (left > 0) {
    const sentences: string[] = [];
    for (let s = rng.int(3, 6); s > 0 && left > 0; s--) {
      const n = Math.min(left, rng.int(8, 24));
      sentences.push(sentence(rng, n));
      left -= n;
    }
    paragraphs.push(sentences.join(" "));
  }
  return paragraphs.join("\n\n");
}

type Json = Record<string, unknown>;

/** One finished or current turn: the user's message and, when finished, the assistant's answer. */
export interface Turn {
  readonly user: readonly Json[];
  readonly assistant: readonly Json[];
}

export interface Conversation {
  readonly tools: readonly Json[];
  readonly system: string;
  readonly turns: readonly Turn[];
}

export interface ConversationShape {
  readonly turns: number;
  readonly tools: number;
  readonly systemWords: number;
  readonly userWords: readonly [number, number];
  readonly assistantWords: readonly [number, number];
  /** Every n-th turn the assistant calls a tool and the next user message carries its result. */
  readonly toolEvery: number;
}

/** 40 turns, about 60k tokens with o200k_base (measured and reported by the scenario). */
export const DEFAULT_SHAPE: ConversationShape = {
  turns: 40,
  tools: 8,
  systemWords: 3100,
  userWords: [175, 540],
  assistantWords: [600, 1320],
  toolEvery: 5,
};

function tool(rng: Rng, i: number): Json {
  const properties: Json = {};
  for (let p = 0; p < rng.int(3, 7); p++) {
    properties[`${rng.pick(WORDS)}_${p}`] = {
      type: rng.pick(["string", "integer", "boolean", "number"]),
      description: sentence(rng, rng.int(8, 20)),
    };
  }
  return {
    name: `tool_${i}_${rng.pick(WORDS)}`,
    description: prose(rng, rng.int(60, 140)),
    input_schema: { type: "object", properties, required: Object.keys(properties).slice(0, 2) },
  };
}

/** A seeded Anthropic Messages conversation: tools, a long system prompt, then the turns. */
export function buildConversation(
  seed: number,
  shape: ConversationShape = DEFAULT_SHAPE,
): Conversation {
  const rng = createRng(seed);
  const tools = Array.from({ length: shape.tools }, (_, i) => tool(rng, i));
  const system = prose(rng, shape.systemWords);
  const turns: Turn[] = [];
  let pendingResult: string | undefined;
  for (let t = 0; t < shape.turns; t++) {
    const user: Json[] = [];
    if (pendingResult !== undefined) {
      user.push({ type: "tool_result", tool_use_id: pendingResult, content: prose(rng, 120) });
      pendingResult = undefined;
    }
    user.push({ type: "text", text: prose(rng, rng.int(...shape.userWords)) });
    const assistant: Json[] = [
      { type: "text", text: prose(rng, rng.int(...shape.assistantWords)) },
    ];
    if ((t + 1) % shape.toolEvery === 0) {
      pendingResult = `toolu_${t}`;
      assistant.push({
        type: "tool_use",
        id: pendingResult,
        name: (tools[t % tools.length] as Json).name,
        input: { query: sentence(rng, 10), limit: rng.int(1, 50) },
      });
    }
    turns.push({ user, assistant });
  }
  return { tools, system, turns };
}

const marked = (part: Json, ttl: "5m" | "1h"): Json => ({
  ...part,
  cache_control: { type: "ephemeral", ttl },
});

/**
 * The request body of turn `n` (1-based) as an SDK sends it, with 4
 * breakpoints: the last tool and the system prompt at 1h, the previous user
 * message and the newest one at 5m (the SDK moves those two every turn).
 */
export function requestBody(conversation: Conversation, n: number): Json {
  const tools = conversation.tools.map((t, i) =>
    i === conversation.tools.length - 1 ? marked(t, "1h") : t,
  );
  const messages: Json[] = [];
  for (let i = 0; i < n; i++) {
    const turn = conversation.turns[i] as Turn;
    const mark = i >= n - 2;
    const user = turn.user.map((part, p) =>
      mark && p === turn.user.length - 1 ? marked(part, "5m") : part,
    );
    messages.push({ role: "user", content: user });
    if (i < n - 1) messages.push({ role: "assistant", content: turn.assistant });
  }
  return {
    model: MODEL,
    max_tokens: 1024,
    stream: true,
    tools,
    system: [marked({ type: "text", text: conversation.system }, "1h")],
    messages,
  };
}
