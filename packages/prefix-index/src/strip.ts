import type { ParsedRequest } from "./parse-request.js";
import { isJsonObject, type JsonObject } from "./types.js";

/**
 * The body to forward upstream: `cache_control` removed at the marker
 * locations only (the blocks' objects and the top level; never deeper), and
 * `stream_options.include_usage = true` on a streamed OpenAI request. Returns a
 * new body and never mutates the input: the objects and arrays on the way to
 * an edit are copied, everything else is shared with the input.
 */
export function stripMarkers<T>(body: T, parsed: ParsedRequest): T {
  if (!isJsonObject(body)) return body;
  const root: JsonObject = { ...body };
  const copied = new WeakSet<object>([root]);

  for (const block of parsed.blocks) {
    if (!block.hasMarker) continue;
    const target = copyPath(root, block.path, copied);
    if (target !== undefined) delete target.cache_control;
  }

  if (parsed.hasTopLevelMarker) delete root.cache_control;
  if (parsed.format === "openai" && parsed.stream) {
    const options = isJsonObject(root.stream_options) ? root.stream_options : {};
    root.stream_options = { ...options, include_usage: true };
  }
  return root as T;
}

type Container = Record<string | number, unknown>;

/** Copies the containers along `path` (once each) and returns the copy at its end. */
function copyPath(
  root: Container,
  path: readonly (string | number)[],
  copied: WeakSet<object>,
): Container | undefined {
  let parent = root;
  for (const key of path) {
    const child = parent[key];
    if (typeof child !== "object" || child === null) return undefined;
    let next = child as Container;
    if (!copied.has(child)) {
      next = (Array.isArray(child) ? child.slice() : { ...child }) as Container;
      copied.add(next);
      parent[key] = next;
    }
    parent = next;
  }
  return parent;
}
