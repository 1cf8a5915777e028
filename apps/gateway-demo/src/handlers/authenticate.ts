import type { IncomingMessage } from "node:http";
import { unauthorized } from "../errors/gateway-error.js";
import type { RequestContext } from "../protocol/request-context.js";
import type { GatewayServices } from "../services.js";

/** The caller's org id from its API key; 401 without a valid key. Records the org in the context. */
export function requireOrg(
  services: GatewayServices,
  req: IncomingMessage,
  ctx: RequestContext,
): string {
  const principal = services.keys.authenticate(req);
  if (principal === undefined) throw unauthorized();
  ctx.orgId = principal.orgId;
  return principal.orgId;
}
