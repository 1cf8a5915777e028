/** A chat message as routing reads it: nothing about its shape is trusted. */
export type Message = { role?: unknown; content?: unknown };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Text of user and system messages: string content as is, array content's text parts joined with "". */
export function promptText(messages: unknown): string {
  if (!Array.isArray(messages)) return "";
  let out = "";
  let first = true;
  for (const message of messages as Message[]) {
    if (!isRecord(message)) continue;
    if (message.role !== "user" && message.role !== "system") continue;
    if (!first) out += "\n";
    first = false;
    out += contentText(message.content);
  }
  return out;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let out = "";
  for (const part of content) {
    if (isRecord(part) && part.type === "text" && typeof part.text === "string") out += part.text;
  }
  return out;
}
