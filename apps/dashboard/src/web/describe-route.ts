import type { WireAction, WireConditions } from "@switchyard/core";
import { formatInt, formatUsd, listWords } from "./format.js";

const quote = (text: string) => JSON.stringify(text);

function flag(value: boolean | undefined, yes: string, no: string): string | undefined {
  if (value === undefined) return undefined;
  return value ? yes : no;
}

/**
 * The conditions in words, AND-ed in the engine's evaluation order:
 * `model is gpt-4o AND fewer than 500 input tokens`. No condition: `every request`.
 */
export function describeConditions(when: WireConditions): string {
  const parts: string[] = [];
  if (when.model_in.length === 1) parts.push(`model is ${when.model_in[0]}`);
  else if (when.model_in.length > 1) parts.push(`model is ${listWords(when.model_in)}`);
  if (when.input_tokens_lt !== null && when.input_tokens_lt !== undefined) {
    parts.push(`fewer than ${formatInt(when.input_tokens_lt)} input tokens`);
  }
  if (when.input_tokens_gt !== null && when.input_tokens_gt !== undefined) {
    parts.push(`more than ${formatInt(when.input_tokens_gt)} input tokens`);
  }
  if (when.tag_equals !== null && when.tag_equals !== undefined) {
    parts.push(`tag is ${quote(when.tag_equals)}`);
  }
  const images = flag(when.has_images, "has images", "no images");
  if (images) parts.push(images);
  const audio = flag(when.has_audio, "has audio", "no audio");
  if (audio) parts.push(audio);
  if (when.prompt_contains_any_of && when.prompt_contains_any_of.length > 0) {
    parts.push(`prompt mentions ${listWords(when.prompt_contains_any_of.map(quote))}`);
  }
  if (when.estimated_cost_gt !== undefined) {
    parts.push(`estimated cost above ${formatUsd(when.estimated_cost_gt)}`);
  }
  if (when.estimated_cost_lt !== undefined) {
    parts.push(`estimated cost below ${formatUsd(when.estimated_cost_lt)}`);
  }
  const stream = flag(when.stream, "streamed", "not streamed");
  if (stream) parts.push(stream);
  const tools = flag(when.has_tools, "declares tools", "no tools");
  if (tools) parts.push(tools);
  return parts.length === 0 ? "every request" : parts.join(" AND ");
}

/** The action in words: `gpt-4o-mini, fallbacks claude-haiku-4-5, cost ceiling $0.10`. */
export function describeAction(then: WireAction): string {
  const parts = [then.target_model];
  if (then.fallbacks && then.fallbacks.length > 0) {
    parts.push(`fallbacks ${then.fallbacks.join(", ")}`);
  }
  if (then.max_cost_usd !== undefined) parts.push(`cost ceiling ${formatUsd(then.max_cost_usd)}`);
  if (then.disable_cache === true) parts.push("no response cache");
  return parts.join(", ");
}

/** `model is gpt-4o AND fewer than 500 input tokens -> gpt-4o-mini, fallbacks claude-haiku-4-5`. */
export function describeRoute(route: { when: WireConditions; then: WireAction }): string {
  return `${describeConditions(route.when)} -> ${describeAction(route.then)}`;
}
