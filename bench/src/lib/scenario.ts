/** What a scenario module exports. */
export interface ScenarioModule {
  /** Runs the scenario; `args` are the command-line arguments after its name. */
  run(args: readonly string[]): Promise<void>;
}

/** A registry entry: loaded lazily so one scenario's dependencies never slow another. */
export interface Scenario {
  readonly description: string;
  readonly load: () => Promise<ScenarioModule>;
}
