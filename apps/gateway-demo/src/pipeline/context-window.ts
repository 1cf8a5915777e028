import type { CatalogModel } from "@switchyard/core";
import { GatewayError } from "../errors/gateway-error.js";
import type { ApiKind } from "../protocol/api-kind.js";
import type { JsonObject } from "../protocol/json.js";
import type { Estimates } from "./estimates.js";

/** A request that does not fit a model's context window: the numbers for the 400. */
export interface ContextOverflow {
  /** The input estimate; `undefined` when `maxTokens` alone fills the window (not counted). */
  readonly inputTokens: number | undefined;
  readonly maxTokens: number;
  readonly window: number;
}

/**
 * Whether input estimate + `max_tokens` (0 when unset) exceeds the model's
 * context window; an unknown window is not checked. Decided without
 * tokenizing when the input's upper bound fits, or when `max_tokens` alone
 * reaches the window (every request has input tokens: the reply's priming).
 */
export function contextOverflow(
  model: CatalogModel | undefined,
  estimates: Estimates,
): ContextOverflow | undefined {
  const window = model?.contextWindow;
  if (window === undefined) return undefined;
  const maxTokens = estimates.maxTokens() ?? 0;
  if (maxTokens >= window) return { inputTokens: undefined, maxTokens, window };
  if (estimates.inputTokensAtMost() + maxTokens <= window) return undefined;
  const inputTokens = estimates.inputTokens();
  return inputTokens + maxTokens > window ? { inputTokens, maxTokens, window } : undefined;
}

/**
 * 400 `context_length_exceeded` when the request does not fit the context
 * window of `model`, the model it would be dispatched to first; `which`
 * says how that model was chosen (e.g. `the target of route "x"`).
 */
export function assertFitsContextWindow(
  api: ApiKind,
  body: JsonObject,
  estimates: Estimates,
  name: string,
  model: CatalogModel | undefined,
  which: string | undefined,
): void {
  const over = contextOverflow(model, estimates);
  if (over === undefined) return;
  const field =
    api === "openai" && typeof body.max_completion_tokens === "number"
      ? "max_completion_tokens"
      : "max_tokens";
  const on = `the ${over.window}-token context window (prompt and reply together) of ${name}${which ? ` (${which})` : ""}`;
  const input = over.inputTokens;
  const message =
    input === undefined
      ? `${field} is ${over.maxTokens}, which alone fills ${on}; lower ${field} well below ${over.window} so the prompt fits too.`
      : `The prompt (${input} input tokens, estimated)${over.maxTokens > 0 ? ` plus ${field} ${over.maxTokens}` : ""} needs ${input + over.maxTokens} tokens, more than ${on}; ${
          input < over.window
            ? `lower ${field} to at most ${over.window - input} or shorten the prompt.`
            : `shorten the prompt below ${over.window} tokens or choose a model with a larger context window.`
        }`;
  throw new GatewayError(400, "invalid_request_error", "context_length_exceeded", message, {
    param: input === undefined ? field : "messages",
    codeInAnthropicEnvelope: true,
  });
}
