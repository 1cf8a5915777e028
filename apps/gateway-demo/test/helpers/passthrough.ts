import { dialectFor } from "../../src/dialects/index.js";
import type { ApiKind } from "../../src/protocol/api-kind.js";
import type { StreamTransformer } from "../../src/stream/stream-transformer.js";

/** The checked passthrough a dialect uses for clients of its own API. */
export function passthrough(
  api: ApiKind,
  maxEventBytes: number,
  usageAsked = false,
): StreamTransformer {
  return dialectFor(api).streamTo(api, { usageAsked, maxEventBytes });
}
