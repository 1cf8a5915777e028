/**
 * Lowercased prompt text as docs/routing.md#prompt-text-and-modality
 * defines it, written independently of the engine so the cross-check means
 * something: text of user and system messages only (string content as is,
 * array content's text parts joined with ""), messages joined with "\n",
 * full Unicode lowercase.
 */
export function lowerPromptText(messages: unknown): string {
  if (!Array.isArray(messages)) return "";
  let out = "";
  let first = true;
  for (const message of messages) {
    if (typeof message !== "object" || message === null) continue;
    const { role, content } = message as { role?: unknown; content?: unknown };
    if (role !== "user" && role !== "system") continue;
    if (!first) out += "\n";
    first = false;
    if (typeof content === "string") {
      out += content;
    } else if (Array.isArray(content)) {
      for (const part of content) {
        if (typeof part !== "object" || part === null) continue;
        const { type, text } = part as { type?: unknown; text?: unknown };
        if (type === "text" && typeof text === "string") out += text;
      }
    }
  }
  return out.toLowerCase();
}
