import type { RoutingStore } from "@switchyard/core";
import { afterEach, beforeEach, describe } from "vitest";
import type {
  ContractContext,
  RoutingStoreContractOptions,
  RoutingStoreFactory,
} from "./context.js";
import { changeFeedTests } from "./groups/change-feed.js";
import { copyTests } from "./groups/copies.js";
import { createTests } from "./groups/create.js";
import { deleteTests } from "./groups/delete.js";
import { getTests } from "./groups/get.js";
import { idTests } from "./groups/ids.js";
import { isolationTests } from "./groups/isolation.js";
import { listTests } from "./groups/list.js";
import { nameTests } from "./groups/names.js";
import { orderingTests } from "./groups/ordering.js";
import { returnedRouteTests } from "./groups/returned-routes.js";
import { updateTests } from "./groups/update.js";
import { validatedUpdateTests } from "./groups/validated-update.js";

/**
 * Declares the RoutingStore contract tests (vitest `describe`/`it`) for the
 * store the factory makes. Call it at the top level of a test file:
 *
 * ```ts
 * routingStoreContract(() => createMemoryRoutingStore(), { changeFeed: true });
 * ```
 *
 * Every test gets a fresh store from the factory and works on random org ids,
 * so a store that shares a backend across tests (one database) is fine.
 */
export function routingStoreContract<S extends RoutingStore>(
  factory: RoutingStoreFactory<S>,
  options: RoutingStoreContractOptions<S> = {},
): void {
  const label = options.label ?? "RoutingStore contract";
  const teardown = options.teardown ?? (() => undefined);
  const eventTimeoutMs = options.eventTimeoutMs ?? 2000;

  describe(label, () => {
    let current: S | undefined;
    beforeEach(async () => {
      current = await factory();
    });
    afterEach(async () => {
      const store = current;
      current = undefined;
      if (store) await teardown(store);
    });

    const context: ContractContext = {
      store() {
        if (!current)
          throw new Error("routingStoreContract: the store is only available inside a test");
        return current;
      },
      eventTimeoutMs,
    };

    createTests(context);
    listTests(context);
    orderingTests(context);
    getTests(context);
    deleteTests(context);
    updateTests(context);
    validatedUpdateTests(context);
    nameTests(context);
    isolationTests(context);
    idTests(context);
    copyTests(context);
    returnedRouteTests(context);
    if (options.changeFeed) changeFeedTests(context);
  });
}
