import type { ApiKind } from "../pipeline/api-kind.js";

type Rec = Record<string, unknown>;

/**
 * Why a parsed 2xx answer is no completion of its API, or `undefined` when
 * it is one. Only the minimal shape is checked (cheap: no walk of the
 * content): an OpenAI chat completion has `choices`, a non-empty array of
 * objects; an Anthropic message has a `content` array (an empty one is
 * accepted: Anthropic can answer so with `end_turn`).
 */
export function answerProblem(api: ApiKind, value: Rec): string | undefined {
  if (api === "openai") {
    const { choices } = value;
    if (!Array.isArray(choices) || choices.length === 0) {
      return "a 200 answer that is no chat completion (no `choices`)";
    }
    for (const choice of choices) {
      if (typeof choice !== "object" || choice === null || Array.isArray(choice)) {
        return "a 200 answer that is no chat completion (a choice that is not an object)";
      }
    }
    return undefined;
  }
  return Array.isArray(value.content)
    ? undefined
    : "a 200 answer that is no message (no `content` array)";
}
