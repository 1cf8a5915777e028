import { CallerEstimates, type CostEstimate, type InputTokenEstimate } from "./caller-estimates.js";
import { KeywordMemo, type KeywordTable } from "./keyword-table.js";
import type { KeywordUse } from "./keyword-use.js";
import type { PreparedPrompt } from "./prepared-prompt.js";
import { isRecord, type Message, promptText } from "./prompt-text.js";
import type { RoutingRequest } from "./routing-request.js";

/** Facts about a request that do not come from its body. */
export interface RoutingContext {
  /** The raw `x-switchyard-tag` header value, untrimmed; absent when the header is. */
  readonly tag?: string | undefined;
  /**
   * The request's prompt prepared ahead (see {@link PreparedPrompt}): keyword
   * conditions read its answers. Ignored when another engine prepared it.
   */
  readonly prompt?: PreparedPrompt | undefined;
}

const IMAGE_PART_TYPES = new Set(["image_url", "image"]);
const AUDIO_PART_TYPES = new Set(["input_audio"]);

const IMAGES = 1;
const AUDIO = 2;
const UNKNOWN = -1;

/**
 * Per-request facts computed at most once and only when a route asks:
 * lowercased prompt text, modality flags and the caller's (possibly lazy)
 * token and cost estimates. One instance is reused by an engine across
 * evaluations (evaluation is synchronous), so nothing is allocated per route.
 */
export class RequestFacts {
  private request: RoutingRequest | undefined;
  private text: string | undefined;
  private modality = UNKNOWN;
  private readonly keywordMemo: KeywordMemo;
  /** The prepared prompt's keyword answers, when the caller prepared it for this engine. */
  private prepared: Uint8Array | undefined;
  /** The caller's token and cost estimates for this request. */
  readonly estimates = new CallerEstimates();

  constructor(private readonly keywords: KeywordTable) {
    this.keywordMemo = new KeywordMemo(keywords);
  }

  reset(
    request: RoutingRequest | undefined,
    tokens: InputTokenEstimate,
    cost: CostEstimate,
    keywordUse?: KeywordUse,
    prompt?: PreparedPrompt,
  ): void {
    this.request = request;
    this.text = undefined;
    this.prepared = undefined;
    if (prompt !== undefined && prompt.table === this.keywords) {
      prompt.finish();
      this.text = prompt.text();
      this.prepared = prompt.found;
    }
    this.modality = UNKNOWN;
    this.keywordMemo.next(keywordUse);
    this.estimates.reset(tokens, cost);
  }

  /** Drops the references to the last request (and the caller's functions) so they can be collected. */
  release(): void {
    this.keywordMemo.finish();
    this.request = undefined;
    this.text = undefined;
    this.prepared = undefined;
    this.estimates.release();
  }

  /** Whether the lowercased prompt text contains any of these interned keywords (each searched once per request). */
  containsAnyKeyword(ids: Int32Array): boolean {
    const prepared = this.prepared;
    if (prepared !== undefined) {
      for (let i = 0; i < ids.length; i++) if (prepared[ids[i] as number] === 1) return true;
      return false;
    }
    const text = this.lowerPromptText();
    for (let i = 0; i < ids.length; i++) {
      if (this.keywordMemo.contains(text, ids[i] as number)) return true;
    }
    return false;
  }

  /** Lowercased text of the user and system messages, joined with "\n". */
  lowerPromptText(): string {
    if (this.text === undefined) this.text = promptText(this.request?.messages).toLowerCase();
    return this.text;
  }

  hasImages(): boolean {
    if (this.modality === UNKNOWN) this.modality = modalityFlags(this.request?.messages);
    return (this.modality & IMAGES) !== 0;
  }

  hasAudio(): boolean {
    if (this.modality === UNKNOWN) this.modality = modalityFlags(this.request?.messages);
    return (this.modality & AUDIO) !== 0;
  }

  isStream(): boolean {
    return this.request?.stream === true;
  }

  hasTools(): boolean {
    const { tools, functions } = this.request ?? {};
    return (
      (Array.isArray(tools) && tools.length > 0) ||
      (Array.isArray(functions) && functions.length > 0)
    );
  }
}

/** Image and audio parts in array content of any role; plain string content never counts. */
function modalityFlags(messages: unknown): number {
  let flags = 0;
  if (!Array.isArray(messages)) return flags;
  for (const message of messages as Message[]) {
    if (!isRecord(message) || !Array.isArray(message.content)) continue;
    for (const part of message.content) {
      if (!isRecord(part) || typeof part.type !== "string") continue;
      if (IMAGE_PART_TYPES.has(part.type)) flags |= IMAGES;
      else if (AUDIO_PART_TYPES.has(part.type)) flags |= AUDIO;
      if (flags === (IMAGES | AUDIO)) return flags;
    }
  }
  return flags;
}
