import type { CacheIndex } from "@switchyard/core";

/** What the factory returns: the index under test and, optionally, a query counter. */
export interface CacheIndexUnderTest<I extends CacheIndex = CacheIndex> {
  readonly index: I;
  /**
   * How many backend queries (round trips) the index has made since the
   * factory made it. When given, the suite also checks that an empty
   * candidate list makes no query and that a lookup is one round trip.
   */
  queries?(): number;
}

/** Makes the index under test. Called once per test: every test gets a fresh one. */
export type CacheIndexFactory<I extends CacheIndex = CacheIndex> = () =>
  | CacheIndexUnderTest<I>
  | Promise<CacheIndexUnderTest<I>>;

export interface CacheIndexContractOptions<I extends CacheIndex = CacheIndex> {
  /** The `describe` label. Default `"CacheIndex contract"`. */
  label?: string;
  /** Called after every test with what the factory made (close what it opened). Default: nothing. */
  teardown?: (subject: CacheIndexUnderTest<I>) => unknown;
  /**
   * Also run the sweep group: the index implements `sweep(olderThan)`.
   * Default `false`. The sweep tests delete expired entries of every scope,
   * so no other test may write entries that expired more than a day ago to
   * the same backend while they run.
   */
  sweep?: boolean;
}

/** What every behaviour group gets. */
export interface CacheIndexContractContext {
  /** The index made for the running test. */
  index(): CacheIndex;
  /** Queries made so far by the running test's index; `undefined` when the factory does not count them. */
  queries(): number | undefined;
}
