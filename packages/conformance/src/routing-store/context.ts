import type { RoutingStore } from "@switchyard/core";

/** Makes the store under test. Called once per test: every test gets a fresh store. */
export type RoutingStoreFactory<S extends RoutingStore = RoutingStore> = () => S | Promise<S>;

export interface RoutingStoreContractOptions<S extends RoutingStore = RoutingStore> {
  /** The `describe` label. Default `"RoutingStore contract"`. */
  label?: string;
  /** Called after every test with the store the factory made (close what it opened). Default: nothing. */
  teardown?: (store: S) => unknown;
  /**
   * Also run the change-feed group: the store implements `RouteChangeFeed`
   * (`watch`). Default `false`.
   */
  changeFeed?: boolean;
  /** How long a change-feed test waits for an expected event, in ms. Default 2000. */
  eventTimeoutMs?: number;
}

/** What every behaviour group gets: the current test's store and the settings. */
export interface ContractContext {
  /** The store made for the running test. */
  store(): RoutingStore;
  readonly eventTimeoutMs: number;
}
