/** Anthropic `stop_reason` -> OpenAI `finish_reason`. */
export function finishReasonOf(stopReason: unknown): string {
  switch (stopReason) {
    case "max_tokens":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "stop";
  }
}

/** OpenAI `finish_reason` -> Anthropic `stop_reason`. */
export function stopReasonOf(finishReason: unknown): string {
  switch (finishReason) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

export interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  /** Of `cacheWrite`, the tokens written for an hour (Anthropic's `cache_creation.ephemeral_1h_input_tokens`). */
  cacheWrite1h?: number;
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** Usage from an Anthropic `usage` object (input excludes cache reads and writes there). */
export function anthropicUsage(usage: unknown, into?: Usage): Usage {
  const u = (usage ?? {}) as Record<string, unknown>;
  const out = into ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  if (u.input_tokens !== undefined) out.input = num(u.input_tokens);
  if (u.output_tokens !== undefined) out.output = num(u.output_tokens);
  if (u.cache_read_input_tokens !== undefined) out.cacheRead = num(u.cache_read_input_tokens);
  if (u.cache_creation_input_tokens !== undefined)
    out.cacheWrite = num(u.cache_creation_input_tokens);
  const creation = u.cache_creation as Record<string, unknown> | null | undefined;
  if (typeof creation === "object" && creation !== null) {
    out.cacheWrite1h = num(creation.ephemeral_1h_input_tokens);
  }
  return out;
}

/** OpenAI `usage` (prompt_tokens includes cached tokens) in Anthropic terms. */
export function openaiUsage(usage: unknown): Usage {
  const u = (usage ?? {}) as Record<string, unknown>;
  const details = (u.prompt_tokens_details ?? {}) as Record<string, unknown>;
  const cached = num(details.cached_tokens);
  return {
    input: num(u.prompt_tokens) - cached,
    output: num(u.completion_tokens),
    cacheRead: cached,
    cacheWrite: 0,
  };
}

/**
 * OpenAI usage. When the provider reported cache reads or writes, the
 * Anthropic cache fields go along (OpenAI's shape has no field for writes),
 * as the gateway's own prompt-cache accounting writes them.
 */
export function toOpenaiUsage(u: Usage) {
  const prompt = u.input + u.cacheRead + u.cacheWrite;
  const counts = {
    prompt_tokens: prompt,
    completion_tokens: u.output,
    total_tokens: prompt + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead },
  };
  if (u.cacheRead === 0 && u.cacheWrite === 0) return counts;
  const hour = Math.min(u.cacheWrite, u.cacheWrite1h ?? 0);
  return {
    ...counts,
    cache_read_input_tokens: u.cacheRead,
    cache_creation_input_tokens: u.cacheWrite,
    cache_creation: {
      ephemeral_5m_input_tokens: u.cacheWrite - hour,
      ephemeral_1h_input_tokens: hour,
    },
  };
}

export function toAnthropicUsage(u: Usage) {
  return {
    input_tokens: u.input,
    output_tokens: u.output,
    cache_read_input_tokens: u.cacheRead,
    cache_creation_input_tokens: u.cacheWrite,
  };
}
