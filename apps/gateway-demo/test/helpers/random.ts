/** A seeded pseudo-random sequence (mulberry32) and the draws the fuzz tests make from it, so a failure replays. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number) => rand() < p;
  return { rand, int, pick, chance };
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
