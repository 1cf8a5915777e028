import { sha256 } from "./sha256.js";

/** SHA-256 hex of an API key: the only form in which keys are stored. */
export function hashApiKey(key: string): string {
  return sha256(key, "hex");
}

export function isKeyHash(value: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(value);
}
