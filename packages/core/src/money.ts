/** Decimals of every USD amount that leaves the gateway: enough for one token of any price. */
export const USD_DECIMALS = 10;

/**
 * A USD amount as a plain decimal string, the one format for money on the
 * wire and in logs: rounded to {@link USD_DECIMALS} decimals, trailing zeros
 * trimmed, never exponent notation (`0.0000126`, `0.3`, `-0.0021`, `12.5`,
 * `0`), so binary floating point noise (`0.000012599999999999998`) never
 * shows. The string is also a valid JSON number. Amounts of 1e21 or more (no
 * price comes near) are written as `String` writes them.
 */
export function formatUsd(value: number): string {
  if (!(Math.abs(value) < 1e21)) return String(value);
  const fixed = value.toFixed(USD_DECIMALS).replace(/\.?0+$/, "");
  return fixed === "-0" ? "0" : fixed;
}

/** A USD amount rounded as {@link formatUsd} writes it, as a number (for JSON bodies). */
export function roundUsd(value: number): number {
  return Number(formatUsd(value));
}
