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
