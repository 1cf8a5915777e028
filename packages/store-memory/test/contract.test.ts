import { routingStoreContract } from "@switchyard/conformance";
import { createMemoryRoutingStore } from "../src/index.js";

routingStoreContract(() => createMemoryRoutingStore(), {
  label: "MemoryRoutingStore meets the RoutingStore contract",
  changeFeed: true,
});
