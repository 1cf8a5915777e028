import type { ApiKind } from "../protocol/api-kind.js";
import { anthropicDialect } from "./anthropic/index.js";
import type { Dialect } from "./dialect.js";
import { openaiDialect } from "./openai/index.js";

/** Every dialect by the provider `kind` that selects it. A new wire format is one more row. */
export const DIALECTS: Readonly<Record<ApiKind, Dialect>> = {
  openai: openaiDialect,
  anthropic: anthropicDialect,
};

export function dialectFor(kind: ApiKind): Dialect {
  return DIALECTS[kind];
}
