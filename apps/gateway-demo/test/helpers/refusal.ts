import { GatewayError } from "../../src/errors/gateway-error.js";

/** The GatewayError `fn` throws (a decision the gateway refuses); fails the test when it returns. */
export function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a GatewayError");
}
