import type { ModelConfig } from "../../src/config/types.js";

/** A catalog model for unit tests of the routing stage: $1 / $2 per million, no capabilities, an OpenAI provider. */
export const catalogModel = (name: string, extra: Partial<ModelConfig> = {}): ModelConfig => ({
  name,
  provider: "mock",
  providerKind: "openai",
  upstreamModel: name,
  deterministic: false,
  cacheAccounting: "gateway",
  inputPricePerMillion: 1,
  outputPricePerMillion: 2,
  ...extra,
});
