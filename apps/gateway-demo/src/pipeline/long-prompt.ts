import type { PreparedPrompt, RoutingEngine, RoutingRequest } from "@switchyard/core";
import { fullTurn } from "@switchyard/prefix-index";

/**
 * Bodies and prompts at least this long (UTF-16 units of prompt text, or
 * bytes and characters of a serialized body) are worked on one whole-body
 * step per turn of the event loop: parsing, the prompt's byte length,
 * each evaluation of the routes, serializing the upstream body, sending it.
 * Shorter ones take well under a millisecond per step and go through in one
 * turn, as before. (Issue 14.1: no request holds the loop much longer than
 * parsing its body takes.)
 */
export const LONG_PROMPT_CHARS = 64 * 1024;

/**
 * The prompt of a long request prepared for the engine's keyword conditions
 * (`RoutingEngine.preparePrompt`), one bounded step per turn of the event
 * loop: the search of a prompt of many megabytes for every keyword of the
 * org's routes never holds the loop longer than a step. `evaluate` and
 * `explain` then read its answers (however many times they run).
 */
export async function preparedApart(
  engine: RoutingEngine,
  request: RoutingRequest,
): Promise<PreparedPrompt> {
  const prompt = engine.preparePrompt(request);
  while (!prompt.advance()) await fullTurn();
  return prompt;
}
