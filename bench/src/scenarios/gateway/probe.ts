import { send, singleConnection } from "./load.js";
import type { Target } from "./targets.js";

/** One request through a fresh connection, for checks outside the timed phases. */
export async function probe(
  target: Target,
  body: Buffer,
): Promise<{ status: number; header: (name: string) => string | undefined; json: unknown }> {
  const client = singleConnection(target);
  try {
    const reply = await send(client, target, body, true);
    let json: unknown;
    try {
      json = JSON.parse(reply.text);
    } catch {
      json = undefined;
    }
    const header = (name: string): string | undefined => {
      const value = reply.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    };
    if (reply.status !== 200 && json === undefined) json = reply.text;
    return { status: reply.status, header, json };
  } finally {
    await client.close();
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** `usage` of an OpenAI answer, if any. */
export function usageOf(json: unknown): Obj | undefined {
  return isObj(json) && isObj(json.usage) ? json.usage : undefined;
}

/** `prompt_tokens` of an OpenAI answer (the mock counts them with the gateway's tokenizer). */
export function promptTokens(json: unknown): number | undefined {
  const value = usageOf(json)?.prompt_tokens;
  return typeof value === "number" ? value : undefined;
}

/** A short description of a failed probe for the report. */
export function probeFailure(status: number, json: unknown): string {
  const text = typeof json === "string" ? json : JSON.stringify(json);
  return `HTTP ${status}: ${(text ?? "").replace(/\s+/g, " ").slice(0, 160)}`;
}
