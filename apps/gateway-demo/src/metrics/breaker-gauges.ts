import type { CircuitState } from "@switchyard/core";
import { Gauge, type Registry } from "prom-client";
import { resettingGauge } from "./scrape-collect.js";

/** Every breaker's states, as label values (core's `CircuitState`). */
const CIRCUIT_STATES: readonly CircuitState[] = ["closed", "open", "half_open"];

/** `switchyard_upstream_circuit_state{provider,state}`: each provider's breaker. */
export function registerProviderBreakers(
  registers: Registry[],
  read: () => ReadonlyArray<readonly [string, CircuitState]>,
): void {
  new Gauge({
    name: "switchyard_upstream_circuit_state",
    help: "Each provider's circuit breaker: 1 for its current state (closed, open, half_open), 0 for the others.",
    labelNames: ["provider", "state"],
    registers,
    collect: resettingGauge((m) => {
      for (const [provider, current] of read()) {
        for (const state of CIRCUIT_STATES) {
          m.set({ provider, state }, state === current ? 1 : 0);
        }
      }
    }),
  });
}

/** `switchyard_prompt_cache_redis_breaker_state{state}`: the Redis accelerator's breaker. */
export function registerRedisBreaker(registers: Registry[], read: () => CircuitState): void {
  new Gauge({
    name: "switchyard_prompt_cache_redis_breaker_state",
    help: "The Redis accelerator's circuit breaker: 1 for its current state (closed, open, half_open), 0 for the others. Open: lookups go straight to the baseline index.",
    labelNames: ["state"],
    registers,
    collect: resettingGauge((m) => {
      const current = read();
      for (const state of CIRCUIT_STATES) {
        m.set({ state }, state === current ? 1 : 0);
      }
    }),
  });
}
