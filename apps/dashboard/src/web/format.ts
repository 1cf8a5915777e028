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

/** Totals: `$12.40`, `$0.644`, `$0.0031`: cents above a dollar, three decimals above a cent, else two significant digits. */
export function formatMoney(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  if (abs >= 1)
    return `${sign}$${abs.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  if (abs >= 0.01 || abs === 0) return `${sign}$${abs.toFixed(abs === 0 ? 2 : 3)}`;
  return `${sign}$${Number(abs.toPrecision(2))}`;
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
