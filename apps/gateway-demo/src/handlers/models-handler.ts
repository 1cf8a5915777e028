import type { ModelConfig } from "../config/types.js";
import type { Handler } from "../http/router.js";
import { sendObject } from "../http/send.js";
import type { GatewayServices } from "../services.js";
import { requireOrg } from "./authenticate.js";

/**
 * `GET /v1/models`: the catalog, in OpenAI's list shape, or Anthropic's when
 * the request carries `anthropic-version` (as the Anthropic SDK does).
 * Every org sees the whole catalog.
 */
export function modelsHandler(services: GatewayServices): Handler {
  const models = [...services.config.models.values()];
  return (req, res, ctx) => {
    requireOrg(services, req, ctx);
    if (req.headers["anthropic-version"] !== undefined) {
      ctx.api = "anthropic";
      const data = models.map((m) => ({
        type: "model",
        id: m.name,
        display_name: m.name,
        created_at: "1970-01-01T00:00:00Z",
      }));
      sendObject(res, 200, {
        data,
        has_more: false,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
      });
      return;
    }
    sendObject(res, 200, { object: "list", data: models.map(openaiModel) });
  };
}

function openaiModel(m: ModelConfig) {
  return {
    id: m.name,
    object: "model",
    created: 0,
    owned_by: m.provider,
    capabilities: m.capabilities ?? {},
    context_window: m.contextWindow ?? null,
    pricing: {
      input_per_million_usd: m.inputPricePerMillion ?? null,
      output_per_million_usd: m.outputPricePerMillion ?? null,
    },
  };
}
