import { Gauge, type Registry } from "prom-client";

/** Each dependency as up (true) or down, read at scrape time. */
export type DependencyStates = () => Promise<ReadonlyArray<readonly [string, boolean]>>;

/**
 * `switchyard_dependency_up{dependency}`: 1 while a dependency answers, 0
 * while it is down (the gateway keeps serving; alert on it, do not route on it).
 */
export function registerDependencyGauge(registers: Registry[], read: DependencyStates): void {
  new Gauge({
    name: "switchyard_dependency_up",
    help: "Whether each dependency answers now (1) or is down (0): route_store (Postgres behind the routes; requests keep using the engines in memory), prompt_cache_index (Postgres; accounting degrades to no cache), redis (the prompt-cache accelerator: connected with a closed breaker). Not readiness: the gateway serves while any is down.",
    labelNames: ["dependency"],
    registers,
    async collect(this: Gauge<string>) {
      const states = await read();
      this.reset();
      for (const [dependency, up] of states) this.set({ dependency }, up ? 1 : 0);
    },
  });
}
