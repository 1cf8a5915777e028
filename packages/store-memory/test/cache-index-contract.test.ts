import { cacheIndexContract } from "@switchyard/conformance";
import { createMemoryCacheIndex } from "../src/index.js";

cacheIndexContract(() => ({ index: createMemoryCacheIndex() }), {
  label: "MemoryCacheIndex meets the CacheIndex contract",
  sweep: true,
});
