import type { LoadPlan, Plan } from "./phases.js";

export interface Settings {
  readonly small: Plan;
  readonly large: Plan;
  readonly stream: Plan;
  readonly load: LoadPlan;
  readonly connections: readonly number[];
  readonly warmupMs: number;
  /** Length of each profiled load window. */
  readonly profileWindowMs: number;
}

export const FULL: Settings = {
  small: { rounds: 5, perRound: 800, budgetMs: 45_000 },
  large: { rounds: 5, perRound: 40, budgetMs: 45_000 },
  stream: { rounds: 5, perRound: 30, budgetMs: 30_000 },
  load: { rounds: 3, durationMs: 2_000, warmupMs: 400, maxRequests: 200_000 },
  connections: [8, 32, 64],
  warmupMs: 1_000,
  profileWindowMs: 5_000,
};

export const QUICK: Settings = {
  small: { rounds: 2, perRound: 100, budgetMs: 10_000 },
  large: { rounds: 2, perRound: 8, budgetMs: 10_000 },
  stream: { rounds: 2, perRound: 8, budgetMs: 10_000 },
  load: { rounds: 1, durationMs: 500, warmupMs: 100, maxRequests: 50_000 },
  connections: [8, 32, 64],
  warmupMs: 300,
  profileWindowMs: 1_500,
};
