import type { CatalogModel } from "@switchyard/core";
import type { JsonObject } from "../protocol/json.js";
import { isRecord } from "../protocol/json.js";

/** What serving a request takes, read once from the body. */
export interface RequestNeeds {
  readonly vision: boolean;
  readonly audio: boolean;
  readonly tools: boolean;
  readonly jsonMode: boolean;
}

export function requestNeeds(body: JsonObject): RequestNeeds {
  let vision = false;
  let audio = false;
  const messages = body.messages;
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (!isRecord(message) || !Array.isArray(message.content)) continue;
      for (const part of message.content) {
        if (!isRecord(part)) continue;
        if (part.type === "image_url" || part.type === "image") vision = true;
        else if (part.type === "input_audio") audio = true;
      }
    }
  }
  const tools =
    (Array.isArray(body.tools) && body.tools.length > 0) ||
    (Array.isArray(body.functions) && body.functions.length > 0);
  const format = isRecord(body.response_format) ? body.response_format.type : undefined;
  const jsonMode = format === "json_object" || format === "json_schema";
  return { vision, audio, tools, jsonMode };
}

/**
 * The first feature a catalog model lacks for this request (the capability
 * guard), or `undefined`. A capability counts as present only
 * when the catalog says `true`. The context window: context-window.ts.
 */
export function missingCapability(model: CatalogModel, needs: RequestNeeds): string | undefined {
  const caps = model.capabilities ?? {};
  if (needs.vision && caps.vision !== true) return "vision";
  if (needs.audio && caps.audio !== true) return "audio";
  if (needs.tools && caps.tools !== true) return "tools";
  if (needs.jsonMode && caps.json_mode !== true) return "json_mode";
  return undefined;
}
