import { randomUUID } from "node:crypto";

/**
 * Ids of translated replies, in the client's API's shape: OpenAI
 * `chatcmpl-<alphanumerics>`, Anthropic `msg_<alphanumerics>`. The upstream's
 * id is kept without its own prefix and without characters the other shape
 * lacks (`msg_01AbC` becomes `chatcmpl-01AbC`, `chatcmpl-x-7` becomes
 * `msg_x7`), so a reply can still be traced to the upstream's; without a
 * usable upstream id, a random one.
 */
export function openaiReplyId(upstreamId: unknown): string {
  return `chatcmpl-${idBody(upstreamId, "msg_")}`;
}

/** See {@link openaiReplyId}. */
export function anthropicReplyId(upstreamId: unknown): string {
  return `msg_${idBody(upstreamId, "chatcmpl-")}`;
}

function idBody(upstreamId: unknown, foreignPrefix: string): string {
  if (typeof upstreamId === "string") {
    const bare = upstreamId.startsWith(foreignPrefix)
      ? upstreamId.slice(foreignPrefix.length)
      : upstreamId;
    const body = bare.replace(/[^A-Za-z0-9]/g, "");
    if (body !== "") return body;
  }
  return randomUUID().replaceAll("-", "");
}
