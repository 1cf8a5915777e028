export const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : "—");
export const signed = (v: number): string =>
  Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${v.toFixed(3)}` : "—";

/** Function names can be whole regular expressions (V8 names RegExp code by its source). */
export const shortName = (fn: string): string => (fn.length > 48 ? `${fn.slice(0, 45)}...` : fn);
