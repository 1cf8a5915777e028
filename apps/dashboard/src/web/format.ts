/** Formatting shared by the panels. */

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatInt(value: number): string {
  return integer.format(value);
}

/** `$0.10`, `$0.005`, `$12.50`: at least two decimals, more for sub-cent amounts (up to 6). */
export function formatUsd(value: number): string {
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  let digits = 2;
  while (digits < 6 && abs !== 0 && Number(abs.toFixed(digits)) !== abs) digits++;
  if (abs >= 1) digits = 2;
  return `${sign}$${abs.toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: digits,
  })}`;
}

/**
 * Decimals of a total: cents from a dollar (and for zero), three decimals
 * from a cent, else two significant digits (at most 10, the gateway's
 * precision).
 */
function moneyDecimals(abs: number): number {
  if (abs >= 1 || abs === 0) return 2;
  if (abs >= 0.01) return 3;
  return Math.min(10, 1 - Math.floor(Math.log10(abs)));
}

/** An integer count of 10^-decimals dollars as `$1,234.50` or `-$0.002`. */
function money(units: number, decimals: number): string {
  const sign = units < 0 ? "-" : "";
  const dollars = Math.abs(units) / 10 ** decimals;
  return `${sign}$${dollars.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}`;
}

/** Totals: `$12.40`, `$0.644`, `$0.0031`: cents above a dollar, three decimals above a cent, else two significant digits. */
export function formatMoney(value: number): string {
  const decimals = moneyDecimals(Math.abs(value));
  return money(Math.sign(value) * Math.round(Math.abs(value) * 10 ** decimals), decimals);
}

/**
 * The values in integer units of 10^-decimals dollars that add up to their
 * rounded sum: each rounded down, then the units the sum still lacks go to
 * the largest remainders (each part stays within one unit of its value).
 */
function unitsAddingUp(values: readonly number[], decimals: number): number[] {
  const scaled = values.map((value) => value * 10 ** decimals);
  const units = scaled.map(Math.floor);
  const remainder = (i: number) => (scaled[i] as number) - (units[i] as number);
  let missing = Math.round(scaled.reduce((a, b) => a + b, 0)) - units.reduce((a, b) => a + b, 0);
  const order = units.map((_, i) => i).sort((a, b) => remainder(b) - remainder(a));
  for (const i of order) {
    if (missing <= 0) break;
    units[i] = (units[i] as number) + 1;
    missing--;
  }
  return units;
}

/**
 * The "money saved" tile: its total and the line that splits it into the
 * prompt and response caches. All three at one precision (the total's rule,
 * applied to the largest of them), and the parts as displayed add up to the
 * total as displayed, which is their sum rounded.
 */
export function formatSavings(
  promptUsd: number,
  responseUsd: number,
): { total: string; split: string } {
  const largest = Math.max(
    Math.abs(promptUsd + responseUsd),
    Math.abs(promptUsd),
    Math.abs(responseUsd),
  );
  const decimals = moneyDecimals(largest);
  const [prompt = 0, response = 0] = unitsAddingUp([promptUsd, responseUsd], decimals);
  return {
    total: money(prompt + response, decimals),
    split: `prompt cache ${money(prompt, decimals)} · response cache ${money(response, decimals)}`,
  };
}

export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return "–";
  return `${(ratio * 100).toFixed(ratio === 0 || ratio === 1 ? 0 : 1)}%`;
}

/** Compact token counts: 950, 12.4k, 3.1M. */
export function formatTokens(value: number): string {
  const abs = Math.abs(value);
  if (abs < 10_000) return formatInt(value);
  if (abs < 1_000_000) return `${(value / 1000).toFixed(1)}k`;
  return `${(value / 1_000_000).toFixed(1)}M`;
}

/** `a`, `a or b`, `a, b or c`. */
export function listWords(items: readonly string[], last = "or"): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} ${last} ${items.at(-1)}`;
}

export function clockTime(date: Date): string {
  return date.toLocaleTimeString("en-GB", { hour12: false });
}
