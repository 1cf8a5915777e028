/** How many block boundaries each breakpoint looks back over (itself included). */
export const LOOKBACK_BLOCKS = 20;

/**
 * Block indexes whose prefix hashes are looked up: for each breakpoint at
 * block `i`, `i, i-1, ..., max(0, i-19)`, unioned over the breakpoints,
 * deduplicated, longest (deepest) first.
 */
export function candidateIndices(breakpointIndices: readonly number[]): number[] {
  const seen = new Set<number>();
  for (const index of breakpointIndices) {
    const stop = Math.max(0, index - (LOOKBACK_BLOCKS - 1));
    for (let i = index; i >= stop; i--) seen.add(i);
  }
  return [...seen].sort((a, b) => b - a);
}
